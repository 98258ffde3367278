using Course.Exercises.Framework;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 12: layer normalisation of each row (token) of X over its d features:
    /// y = γ ⊙ (x − μ) / √(σ² + ε) + β, with μ the row's mean and σ² its population variance (divide by d, not d − 1).
    /// Cases include a constant row (σ² = 0: y = β), a tiny spread where ε matters, and rows with a large mean (1000),
    /// where the variance must come from the centred values, not from E[x²] − μ², and an ε other than 1e-5.
    /// </summary>
    /// <param name="layerNorm">Your function: (X [n, d], γ [d], β [d], ε) → Y [n, d].</param>
    public static CheckResult LayerNorm(Func<Matrix<float>, float[], float[], float, Matrix<float>> layerNorm) => LayerNormCheck.Exercise.Run(layerNorm);
}

internal static class LayerNormCheck
{
    public sealed record Input(Matrix<float> X, float[] Gamma, float[] Beta, float Epsilon);

    /// <summary>How a (possibly wrong) layer norm computes: one function serves the reference and the mistakes.</summary>
    private sealed record Variant
    {
        public bool Unbiased { get; init; }                // variance / (d − 1)
        public int EpsilonPlace { get; init; }             // 0 inside the sqrt, 1 outside, 2 none
        public bool NoSqrt { get; init; }
        public bool Columns { get; init; }                 // normalise each column instead of each row
        public bool SwapAffine { get; init; }
        public bool NoAffine { get; init; }
    }

    private const string ConstantRow = "Row 0 is constant, so its variance is 0: without ε inside the square root this is 0/0 = NaN. Use √(σ² + ε).";
    private const string GivenEpsilon = "This case passes ε = 0.1: use the `eps` argument inside the square root, not a constant of your own.";
    private const string LargeMean =
        "Here the rows have a mean around 1000 and a spread around 1. If only this case fails, your variance probably comes from E[x²] − μ²: in float32 both terms are about 10⁶ and their difference loses most of its digits. Subtract the mean first and average the squared differences (x − μ)².";

    public static readonly Exercise<Input, Func<Matrix<float>, float[], float[], float, Matrix<float>>> Exercise = new()
    {
        Title = "Layer normalisation (notebook 12)",
        Outputs = [new OutputSpec("Y", "n", "d") { Axes = ["row", "column"] }],
        Reference = input => [Normalise(input, new Variant())],
        Invoke = (layerNorm, input) => [Observe.Matrix(layerNorm(input.X, input.Gamma, input.Beta, input.Epsilon), "Y")],
        Cases =
        [
            new("X [3, 8], random γ and β, ε = 1e-5", () => Random(161, 3, 8)),
            new("X [4, 6], γ = 1, β = 0 (plain normalisation)", () => Random(162, 4, 6, plain: true)),
            new("row 0 is constant (variance 0: Y's row 0 is β)", () => { var input = Random(163, 2, 5); input.X.SetRow(0, Enumerable.Repeat(3f, 5).ToArray()); return input; })
            {
                NonFiniteHint = ConstantRow, Hint = ConstantRow,
            },
            new("rows with a tiny spread (variance about 1e-6, ε = 1e-5: ε matters)", () => Random(164, 3, 8, spread: 1e-3)),
            new("rows with a large mean (1000) and a spread of 1", () => Random(165, 3, 8, offset: 1000)) { NonFiniteHint = LargeMean, Hint = LargeMean },
            new("X [3, 6] with a spread of 0.5 and ε = 0.1 (a larger ε shrinks every row)", () => Random(166, 3, 6, spread: 0.5, epsilon: 0.1f)) { Hint = GivenEpsilon },
        ],
        Mistakes =
        [
            new("unbiased-variance", "Your variance divides by d − 1: layer norm uses the population variance, divided by d.",
                "σ² = Σ (x − μ)² / d.",
                input => [Normalise(input, new Variant { Unbiased = true })]),
            new("epsilon-outside-sqrt", "Your ε is added after the square root, (x − μ) / (√σ² + ε), instead of inside it.",
                "Divide by √(σ² + ε).",
                input => [Normalise(input, new Variant { EpsilonPlace = 1 })]),
            new("no-epsilon", "Your normalisation leaves out ε: (x − μ) / √σ², which is 0/0 = NaN on a constant row.",
                "Divide by √(σ² + ε): ε keeps the denominator away from 0.",
                input => [Normalise(input, new Variant { EpsilonPlace = 2 })]),
            new("no-sqrt", "Your normalisation divides by σ² + ε instead of its square root.",
                "Divide by the standard deviation √(σ² + ε).",
                input => [Normalise(input, new Variant { NoSqrt = true })]),
            new("columns", "Your normalisation runs down each column (over the tokens) instead of along each row (over a token's features).",
                "Each token is normalised on its own: μ and σ² are computed over the d columns of its row.",
                input => input.X.RowCount < 2 ? null : [Normalise(input, new Variant { Columns = true })]),
            new("gamma-beta-swapped", "Your γ and β are swapped: β scales and γ shifts.",
                "y = γ ⊙ x̂ + β: γ multiplies, β is added.",
                input => [Normalise(input, new Variant { SwapAffine = true })]),
            new("no-affine", "Your result is the normalised x̂ without γ and β.",
                "Finish with y = γ ⊙ x̂ + β (column j uses γ[j] and β[j]).",
                input => [Normalise(input, new Variant { NoAffine = true })]),
        ],
        ExceptionHint = "γ and β have one entry per column (d = X.ColumnCount); normalise each row of X over its d columns.",
        ShapeHint = "Y has the shape of X: [n, d].",
        MismatchHint = "For each row: μ = mean, σ² = mean of (x − μ)², x̂ = (x − μ) / √(σ² + ε), y[j] = γ[j]·x̂[j] + β[j].",
    };

    /// <summary>
    /// Layer norm of each row in float64 with the float32 bound of the two-pass algorithm (mean, then mean of squared
    /// deviations), first order: δμ = γ(d+1)·mean|x|; each deviation adds u|x − μ|; δσ² = 2·mean(|x − μ|·δ(x − μ)) +
    /// γ(d+2)·σ²; 1/√(σ² + ε) has relative error δσ²/(2(σ² + ε)) + 3u; the affine step adds 2u.
    /// </summary>
    private static Tensor Normalise(Input input, Variant variant)
    {
        Tensor x = Tensor.From(input.X);
        if (variant.Columns) x = TensorMath.Transpose(x);
        int rows = x.Rows, d = x.Cols;
        var values = new double[rows * d];
        var errors = new double[rows * d];
        for (int r = 0; r < rows; r++)
        {
            double[] row = Enumerable.Range(0, d).Select(c => x[r, c]).ToArray();
            double mean = row.Average();
            double meanError = Float32.Gamma(d + 1) * row.Average(Math.Abs);
            double[] deviation = row.Select(v => v - mean).ToArray();
            double[] deviationError = deviation.Select(v => meanError + Float32.U * Math.Abs(v)).ToArray();
            double variance = deviation.Sum(v => v * v) / (variant.Unbiased ? d - 1 : d);
            double varianceError = 2 * deviation.Zip(deviationError, (v, e) => Math.Abs(v) * e).Average() + Float32.Gamma(d + 2) * variance;
            double eps = input.Epsilon;
            double denominator = variant.EpsilonPlace switch
            {
                0 => variant.NoSqrt ? variance + eps : Math.Sqrt(variance + eps),
                1 => Math.Sqrt(variance) + eps,
                _ => Math.Sqrt(variance),
            };
            double denominatorRelative = varianceError / (2 * (variance + eps)) + 3 * Float32.U;
            for (int c = 0; c < d; c++)
            {
                int column = variant.Columns ? r : c;   // γ and β follow the original columns
                double normalised = deviation[c] / denominator;
                double normalisedError = deviationError[c] / denominator + Math.Abs(normalised) * denominatorRelative;
                (double scale, double shift) = variant.NoAffine ? (1, 0)
                    : variant.SwapAffine ? (input.Beta[column], input.Gamma[column]) : (input.Gamma[column], input.Beta[column]);
                values[r * d + c] = scale * normalised + shift;
                errors[r * d + c] = Math.Abs(scale) * normalisedError + 2 * Float32.U * (Math.Abs(scale * normalised) + Math.Abs(values[r * d + c]));
            }
        }
        var result = new Tensor([rows, d], values, errors);
        return variant.Columns ? TensorMath.Transpose(result) : result;
    }

    private static Input Random(int seed, int rows, int d, bool plain = false, double spread = 1, double offset = 0, float epsilon = 1e-5f)
    {
        var inputs = new Inputs(seed);
        var x = Matrix<float>.Build.Dense(rows, d, (_, _) => (float)(offset + inputs.Normal(spread)));
        float[] gamma = plain ? Enumerable.Repeat(1f, d).ToArray() : inputs.Vector(d).Select(g => 1 + 0.5f * g).ToArray();
        float[] beta = plain ? new float[d] : inputs.Vector(d, 0.5);
        return new(x, gamma, beta, epsilon);
    }
}
