using Course.Exercises.Framework;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 09: the sinusoidal positional encoding of the original transformer, PE [length, dim] (dim even):
    /// PE[p, 2i] = sin(p / 10000^(2i/dim)), PE[p, 2i+1] = cos(p / 10000^(2i/dim)); positions start at 0. Same values as
    /// the course library's <c>PositionalEncoding.Sinusoidal</c>.
    /// </summary>
    /// <param name="encoding">Your function: (length, dim) → PE [length, dim].</param>
    public static CheckResult SinusoidalEncoding(Func<int, int, Matrix<float>> encoding) => SinusoidalEncodingCheck.Exercise.Run(encoding);
}

internal static class SinusoidalEncodingCheck
{
    public sealed record Input(int Length, int Dim);

    /// <summary>How a (possibly wrong) encoding lays out its columns: one function serves the reference and the mistakes.</summary>
    private sealed record Layout
    {
        public Func<int, int, double> Exponent { get; init; } = (column, dim) => 2.0 * (column / 2) / dim;   // column → exponent of 10000
        public bool CosineFirst { get; init; }
        public bool Halves { get; init; }           // sines in columns [0, dim/2), cosines in [dim/2, dim)
        public int FirstPosition { get; init; }
    }

    public static readonly Exercise<Input, Func<int, int, Matrix<float>>> Exercise = new()
    {
        Title = "Sinusoidal positional encoding (notebook 09)",
        Outputs = [new OutputSpec("PE", "length", "dim") { Axes = ["position", "column"] }],
        Reference = input => [Encode(input, new Layout())],
        Invoke = (encoding, input) => [Observe.Matrix(encoding(input.Length, input.Dim), "PE")],
        Cases =
        [
            new("length 6, dim 4", () => new(6, 4)),
            new("length 10, dim 8", () => new(10, 8)),
            new("length 50, dim 16 (angles up to 49 radians)", () => new(50, 16)),
            new("length 1, dim 6 (position 0 is [0, 1, 0, 1, 0, 1])", () => new(1, 6)),
        ],
        Mistakes =
        [
            new("sin-cos-swapped", "Your even columns hold cosines and your odd columns sines: they are swapped.",
                "PE[p, 2i] = sin(…) (even columns), PE[p, 2i+1] = cos(…) (odd columns).",
                input => [Encode(input, new Layout { CosineFirst = true })]),
            new("integer-division", "All your columns use the same frequency (1 radian per position): `2 * i / dim` is an integer division in C#, which is 0.",
                "Divide in floating point: `2.0 * i / dim` (or `(float)(2 * i) / dim`).",
                input => [Encode(input, new Layout { Exponent = (_, _) => 0 })]),
            new("column-index-exponent", "Your cosine column 2i+1 uses its own frequency 10000^((2i+1)/dim) instead of sharing that of sine column 2i.",
                "Both columns of a pair use the pair index i: 10000^(2i/dim).",
                input => [Encode(input, new Layout { Exponent = (column, dim) => (double)column / dim })]),
            new("exponent-without-2", "Your frequencies use 10000^(i/dim) instead of 10000^(2i/dim): they fall too slowly across the columns.",
                "The exponent is 2i/dim, where i is the pair index (column / 2).",
                input => [Encode(input, new Layout { Exponent = (column, dim) => (double)(column / 2) / dim })]),
            new("exponent-doubled", "Your frequencies use 10000^(2j/dim) with j the column index (4i/dim for pair i): they fall twice too fast.",
                "With the column index j of an even column, the exponent is j/dim (= 2i/dim).",
                input => [Encode(input, new Layout { Exponent = (column, dim) => 2.0 * (column - column % 2) / dim })]),
            new("positive-exponent", "Your angles are p·10000^(2i/dim) instead of p / 10000^(2i/dim): later columns should turn slower, not faster.",
                "Divide the position by 10000^(2i/dim).",
                input => [Encode(input, new Layout { Exponent = (column, dim) => -2.0 * (column / 2) / dim })]),
            new("halves", "Your sines fill the first half of the columns and your cosines the second half; here they alternate.",
                "Even columns are sines, odd columns cosines: PE[p, 2i] = sin, PE[p, 2i+1] = cos.",
                input => [Encode(input, new Layout { Halves = true })]),
            new("positions-from-one", "Your positions start at 1: row 0 should be position 0 (sin 0 = 0, cos 0 = 1).",
                "Row p encodes position p, starting at 0.",
                input => [Encode(input, new Layout { FirstPosition = 1 })]),
        ],
        ExceptionHint = "Fill `Matrix<float>.Build.Dense(length, dim)`: for each position p and pair i < dim/2, set columns 2i and 2i+1.",
        ShapeHint = "One row per position, one column per dimension: [length, dim].",
        MismatchHint = "For pair i: angle = p / 10000^(2i/dim); PE[p, 2i] = sin(angle), PE[p, 2i+1] = cos(angle).",
    };

    private static Tensor Encode(Input input, Layout layout)
    {
        int length = input.Length, dim = input.Dim;
        var values = new double[length * dim];
        var errors = new double[length * dim];
        for (int p = 0; p < length; p++)
            for (int column = 0; column < dim; column++)
            {
                bool cosine = layout.Halves ? column >= dim / 2 : column % 2 == 1;
                int pairColumn = layout.Halves ? 2 * (column % (dim / 2)) + (cosine ? 1 : 0) : column;   // the interleaved column this one stands for
                var (angle, error) = Angles.Of(p + layout.FirstPosition, layout.Exponent(pairColumn, dim));
                values[p * dim + column] = cosine != layout.CosineFirst ? Math.Cos(angle) : Math.Sin(angle);
                errors[p * dim + column] = Angles.TrigError(error);
            }
        return new Tensor([length, dim], values, errors);
    }
}
