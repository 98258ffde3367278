using Course.Exercises.Framework;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 09: rotary position embedding (RoPE) of one vector x [d] (d even) at position p. Adjacent dimensions form
    /// pairs (2i, 2i+1); pair i turns by the angle p·θ_i, θ_i = 10000^(−2i/d):
    /// out[2i] = x[2i]·cos − x[2i+1]·sin, out[2i+1] = x[2i]·sin + x[2i+1]·cos. Same values as the course library's
    /// <c>RotaryEmbedding.Apply</c>.
    /// </summary>
    /// <param name="rope">Your function: (x [d], position) → rotated [d].</param>
    public static CheckResult Rope(Func<float[], int, float[]> rope) => RopeCheck.Exercise.Run(rope);
}

internal static class RopeCheck
{
    public sealed record Input(float[] X, int Position);

    /// <summary>How a (possibly wrong) rotation pairs dimensions and picks angles: one function serves the reference and the mistakes.</summary>
    private sealed record Rotation
    {
        public bool HalfSplit { get; init; }                       // pairs (i, i + d/2)
        public Func<int, int, double> Exponent { get; init; } = (pair, dim) => 2.0 * pair / dim;
        public int Direction { get; init; } = 1;
        public bool PositionIgnored { get; init; }
    }

    public static readonly Exercise<Input, Func<float[], int, float[]>> Exercise = new()
    {
        Title = "RoPE rotation (notebook 09)",
        Outputs = [new OutputSpec("rotated", "d")],
        Reference = input => [Rotate(input, new Rotation())],
        Invoke = (rope, input) => [Observe.Vector(rope(input.X, input.Position), "rotated")],
        Cases =
        [
            new("d = 4, position 1", () => new(new Inputs(141).Vector(4), 1)),
            new("d = 8, position 5", () => new(new Inputs(142).Vector(8), 5)),
            new("d = 2, position 3 (one pair)", () => new(new Inputs(143).Vector(2), 3)),
            new("d = 16, position 0 (no rotation)", () => new(new Inputs(144).Vector(16), 0)),
            new("d = 8, position 1000", () => new(new Inputs(145).Vector(8), 1000)),
        ],
        Mistakes =
        [
            new("half-split", "You rotate dimension i together with dimension i + d/2 (the 'rotate half' layout of some libraries). This course pairs adjacent dimensions (2i, 2i+1), like the RoPE paper and the course library.",
                "Pair i is (x[2i], x[2i+1]), turned by p·θ_i with θ_i = 10000^(−2i/d).",
                input => [Rotate(input, new Rotation { HalfSplit = true })]),
            new("opposite-direction", "Your rotation turns the wrong way (by −p·θ_i).",
                "out[2i] = x[2i]·cos − x[2i+1]·sin and out[2i+1] = x[2i]·sin + x[2i+1]·cos.",
                input => [Rotate(input, new Rotation { Direction = -1 })]),
            new("position-ignored", "Your output is x unchanged: the angle does not grow with the position.",
                "Pair i turns by p·θ_i: position p multiplies the angle.",
                input => [Rotate(input, new Rotation { PositionIgnored = true })]),
            new("integer-division", "All your pairs turn by the same angle p (θ_i = 1): `2 * i / d` is an integer division in C#, which is 0.",
                "Divide in floating point: `2.0 * i / d`.",
                input => [Rotate(input, new Rotation { Exponent = (_, _) => 0 })]),
            new("exponent-doubled", "Your frequencies are 10000^(−4i/d): the exponent uses the dimension index 2i where the formula has i (2·(2i)/d).",
                "θ_i = 10000^(−2i/d) with i the pair index; with the dimension index j = 2i it is 10000^(−j/d).",
                input => [Rotate(input, new Rotation { Exponent = (pair, dim) => 4.0 * pair / dim })]),
            new("exponent-without-2", "Your frequencies are 10000^(−i/d) instead of 10000^(−2i/d).",
                "θ_i = 10000^(−2i/d), i the pair index.",
                input => [Rotate(input, new Rotation { Exponent = (pair, dim) => (double)pair / dim })]),
        ],
        ExceptionHint = "Loop over the pairs i = 0 … d/2 − 1 and write out[2i] and out[2i+1] into a new array of length d.",
        ShapeHint = "The rotated vector has the length of x.",
        MismatchHint = "For pair i: angle = p · 10000^(−2i/d); out[2i] = x[2i]·cos(angle) − x[2i+1]·sin(angle); out[2i+1] = x[2i]·sin(angle) + x[2i+1]·cos(angle).",
    };

    private static Tensor Rotate(Input input, Rotation rotation)
    {
        float[] x = input.X;
        int d = x.Length;
        var values = new double[d];
        var errors = new double[d];
        for (int pair = 0; pair < d / 2; pair++)
        {
            int first = rotation.HalfSplit ? pair : 2 * pair, second = rotation.HalfSplit ? pair + d / 2 : 2 * pair + 1;
            var (angle, angleError) = Angles.Of(rotation.PositionIgnored ? 0 : input.Position, rotation.Exponent(pair, d));
            angle *= rotation.Direction;
            double cos = Math.Cos(angle), sin = Math.Sin(angle), a = x[first], b = x[second];
            values[first] = a * cos - b * sin;
            values[second] = a * sin + b * cos;
            // Each output mixes |a| + |b| through sin and cos (error TrigError each), then rounds two products and a sum.
            double error = (Math.Abs(a) + Math.Abs(b)) * (Angles.TrigError(angleError) + 3 * Float32.U);
            errors[first] = errors[second] = error;
        }
        return new Tensor([d], values, errors);
    }
}
