using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Solutions
{
    /// <summary>Notebook 02: a·b = Σᵢ a[i]·b[i].</summary>
    public static float DotProduct(float[] a, float[] b)
    {
        float sum = 0;
        for (int i = 0; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }

    /// <summary>Notebook 02: cos(a, b) = a·b / (‖a‖·‖b‖).</summary>
    public static float CosineSimilarity(float[] a, float[] b) =>
        DotProduct(a, b) / (MathF.Sqrt(DotProduct(a, a)) * MathF.Sqrt(DotProduct(b, b)));

    /// <summary>Notebook 02: S = Q·Kᵀ, every query dotted with every key.</summary>
    public static Matrix<float> ScoreMatrix(Matrix<float> q, Matrix<float> k) => q * k.Transpose();   // [n_q, n_k]
}
