using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Solutions
{
    /// <summary>Notebook 05: softmax(Q·Kᵀ / √d_k)·V.</summary>
    public static Matrix<float> Attention(Matrix<float> q, Matrix<float> k, Matrix<float> v) => AttentionWithWeights(q, k, v).Output;

    /// <summary>Notebook 05: attention returning the output and the weights.</summary>
    public static (Matrix<float> Output, Matrix<float> Weights) AttentionWithWeights(Matrix<float> q, Matrix<float> k, Matrix<float> v)
    {
        float scale = 1 / MathF.Sqrt(q.ColumnCount);
        Matrix<float> scores = q * k.Transpose() * scale;   // [n_q, n_k]
        Matrix<float> weights = SoftmaxRows(scores);        // [n_q, n_k], rows sum to 1
        return (weights * v, weights);                      // [n_q, d_v]
    }
}
