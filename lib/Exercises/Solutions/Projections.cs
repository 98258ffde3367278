using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Solutions
{
    /// <summary>Notebook 03: Q = X·W_Q, K = X·W_K, V = X·W_V.</summary>
    public static (Matrix<float> Q, Matrix<float> K, Matrix<float> V) Projections(
        Matrix<float> x, Matrix<float> wQ, Matrix<float> wK, Matrix<float> wV) =>
        (x * wQ,    // [n, d_k]
         x * wK,    // [n, d_k]
         x * wV);   // [n, d_v]
}
