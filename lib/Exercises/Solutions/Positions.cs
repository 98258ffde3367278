using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Solutions
{
    /// <summary>Notebook 09: PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(…).</summary>
    public static Matrix<float> SinusoidalEncoding(int length, int dim)
    {
        var pe = Matrix<float>.Build.Dense(length, dim);
        for (int p = 0; p < length; p++)
            for (int i = 0; i < dim / 2; i++)
            {
                float angle = p / MathF.Pow(10000, 2f * i / dim);
                pe[p, 2 * i] = MathF.Sin(angle);
                pe[p, 2 * i + 1] = MathF.Cos(angle);
            }
        return pe;
    }

    /// <summary>Notebook 09: RoPE: turn each pair (x[2i], x[2i+1]) by position · 10000^(−2i/d).</summary>
    public static float[] Rope(float[] x, int position)
    {
        var rotated = new float[x.Length];
        for (int i = 0; i < x.Length / 2; i++)
        {
            float angle = position * MathF.Pow(10000, -2f * i / x.Length);
            float cos = MathF.Cos(angle), sin = MathF.Sin(angle);
            float a = x[2 * i], b = x[2 * i + 1];
            rotated[2 * i] = a * cos - b * sin;
            rotated[2 * i + 1] = a * sin + b * cos;
        }
        return rotated;
    }
}
