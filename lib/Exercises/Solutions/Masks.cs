using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Solutions
{
    /// <summary>Notebook 06: mask[i, j] = j ≤ i (true = may attend).</summary>
    public static bool[,] CausalMask(int n)
    {
        var mask = new bool[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                mask[i, j] = true;
        return mask;
    }

    /// <summary>Notebook 06: softmax of each row over its allowed entries; a row with none stays zeros.</summary>
    public static Matrix<float> MaskedSoftmax(Matrix<float> scores, bool[,] allowed)
    {
        var weights = Matrix<float>.Build.Dense(scores.RowCount, scores.ColumnCount);   // zeros: masked entries stay 0
        for (int i = 0; i < scores.RowCount; i++)
        {
            float max = float.NegativeInfinity;
            for (int j = 0; j < scores.ColumnCount; j++)
                if (allowed[i, j]) max = MathF.Max(max, scores[i, j]);
            if (float.IsNegativeInfinity(max)) continue;   // no allowed key: the row stays zeros

            float sum = 0;
            for (int j = 0; j < scores.ColumnCount; j++)
                if (allowed[i, j])
                {
                    weights[i, j] = MathF.Exp(scores[i, j] - max);
                    sum += weights[i, j];
                }
            for (int j = 0; j < scores.ColumnCount; j++)
                weights[i, j] /= sum;
        }
        return weights;
    }

    /// <summary>Notebook 06: attention where allowed[i, j] says whether query i may attend key j.</summary>
    public static Matrix<float> MaskedAttention(Matrix<float> q, Matrix<float> k, Matrix<float> v, bool[,] allowed)
    {
        Matrix<float> scores = q * k.Transpose() / MathF.Sqrt(q.ColumnCount);   // [n_q, n_k]
        return MaskedSoftmax(scores, allowed) * v;                              // [n_q, d_v]
    }

    /// <summary>Notebook 06: attention over keys 0 … validKeys − 1 only.</summary>
    public static Matrix<float> PaddingAttention(Matrix<float> q, Matrix<float> k, Matrix<float> v, int validKeys)
    {
        var allowed = new bool[q.RowCount, k.RowCount];
        for (int i = 0; i < q.RowCount; i++)
            for (int j = 0; j < validKeys; j++)
                allowed[i, j] = true;
        return MaskedAttention(q, k, v, allowed);
    }

    /// <summary>Notebook 06: append the new key and value, then attend the query over the whole cache.</summary>
    public static float[] KvCacheStep(List<float[]> keyCache, List<float[]> valueCache, float[] query, float[] key, float[] value)
    {
        keyCache.Add(key);
        valueCache.Add(value);

        float scale = 1 / MathF.Sqrt(query.Length);
        float[] scores = keyCache.Select(cached => DotProduct(query, cached) * scale).ToArray();   // [positions]
        float[] weights = Softmax(scores);                                                         // [positions]

        var output = new float[value.Length];                                                      // [d_v]
        for (int j = 0; j < valueCache.Count; j++)
            for (int c = 0; c < output.Length; c++)
                output[c] += weights[j] * valueCache[j][c];
        return output;
    }
}
