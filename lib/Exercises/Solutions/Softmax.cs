using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Solutions
{
    /// <summary>Notebook 04: stable softmax: subtract the maximum, exponentiate, divide by the sum.</summary>
    public static float[] Softmax(float[] x)
    {
        float max = x.Max();
        float[] exps = x.Select(v => MathF.Exp(v - max)).ToArray();   // the largest is exp(0) = 1: no overflow
        float sum = exps.Sum();
        return exps.Select(e => e / sum).ToArray();
    }

    /// <summary>Notebook 04: the softmax of every row, each row on its own.</summary>
    public static Matrix<float> SoftmaxRows(Matrix<float> s)
    {
        var result = Matrix<float>.Build.Dense(s.RowCount, s.ColumnCount);
        for (int i = 0; i < s.RowCount; i++)
            result.SetRow(i, Softmax(s.Row(i).ToArray()));
        return result;
    }

    /// <summary>Notebook 04: softmax(x / T).</summary>
    public static float[] SoftmaxWithTemperature(float[] x, float temperature) =>
        Softmax(x.Select(v => v / temperature).ToArray());
}
