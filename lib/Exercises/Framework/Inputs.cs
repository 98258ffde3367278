using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises.Framework;

/// <summary>Seeded random inputs: the same seed gives the same floats on every machine (System.Random with a seed is stable).</summary>
internal sealed class Inputs(int seed)
{
    private readonly Random random = new(seed);

    /// <summary>A standard-normal float (Box–Muller), times <paramref name="scale"/>.</summary>
    public float Normal(double scale = 1)
    {
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        return (float)(scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    /// <summary>Normal(scale) + offset per entry: an offset well past the scale gives every entry the offset's sign.</summary>
    public float[] Vector(int length, double scale = 1, double offset = 0) =>
        Enumerable.Range(0, length).Select(_ => (float)(Normal(scale) + offset)).ToArray();

    /// <summary>Normal(scale) + offset per entry, like <see cref="Vector"/>.</summary>
    public Matrix<float> Matrix(int rows, int cols, double scale = 1, double offset = 0) =>
        Matrix<float>.Build.Dense(rows, cols, (_, _) => (float)(Normal(scale) + offset));

    /// <summary>A random boolean mask [rows, cols] with every row keeping at least one true entry.</summary>
    public bool[,] Mask(int rows, int cols, double keep = 0.6)
    {
        var mask = new bool[rows, cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++) mask[i, j] = random.NextDouble() < keep;
            mask[i, random.Next(cols)] = true;
        }
        return mask;
    }

    public int Next(int maxExclusive) => random.Next(maxExclusive);
}
