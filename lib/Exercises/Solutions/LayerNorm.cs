using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Solutions
{
    /// <summary>Notebook 12: y = γ ⊙ (x − μ) / √(σ² + ε) + β for each row.</summary>
    public static Matrix<float> LayerNorm(Matrix<float> x, float[] gamma, float[] beta, float epsilon)
    {
        int d = x.ColumnCount;
        var y = Matrix<float>.Build.Dense(x.RowCount, d);
        for (int r = 0; r < x.RowCount; r++)
        {
            float mean = 0;
            for (int c = 0; c < d; c++) mean += x[r, c];
            mean /= d;

            float variance = 0;                          // from the centred values: no cancellation
            for (int c = 0; c < d; c++) variance += (x[r, c] - mean) * (x[r, c] - mean);
            variance /= d;

            float inverseStd = 1 / MathF.Sqrt(variance + epsilon);
            for (int c = 0; c < d; c++)
                y[r, c] = gamma[c] * (x[r, c] - mean) * inverseStd + beta[c];
        }
        return y;
    }
}
