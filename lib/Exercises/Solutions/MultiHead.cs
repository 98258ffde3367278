using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Solutions
{
    /// <summary>Notebook 07: head h = columns h·d_head … (h+1)·d_head − 1.</summary>
    public static Matrix<float>[] SplitHeads(Matrix<float> x, int heads)
    {
        int headDim = x.ColumnCount / heads;
        return Enumerable.Range(0, heads)
            .Select(h => x.SubMatrix(0, x.RowCount, h * headDim, headDim))   // [n, d_head]
            .ToArray();
    }

    /// <summary>Notebook 07: the heads side by side, [n, heads·d_head].</summary>
    public static Matrix<float> MergeHeads(Matrix<float>[] heads)
    {
        int rows = heads[0].RowCount, headDim = heads[0].ColumnCount;
        var merged = Matrix<float>.Build.Dense(rows, heads.Length * headDim);
        for (int h = 0; h < heads.Length; h++)
            merged.SetSubMatrix(0, h * headDim, heads[h]);
        return merged;
    }

    /// <summary>Notebook 07: project, split, attend per head (scale 1/√d_head), merge, project with W_O.</summary>
    public static Matrix<float> MultiHeadAttention(
        Matrix<float> x, Matrix<float> wQ, Matrix<float> wK, Matrix<float> wV, Matrix<float> wO, int heads)
    {
        Matrix<float>[] q = SplitHeads(x * wQ, heads);   // heads × [n, d_head]
        Matrix<float>[] k = SplitHeads(x * wK, heads);
        Matrix<float>[] v = SplitHeads(x * wV, heads);
        Matrix<float>[] outputs = Enumerable.Range(0, heads).Select(h => Attention(q[h], k[h], v[h])).ToArray();
        return MergeHeads(outputs) * wO;                 // [n, d_model]
    }

    /// <summary>Notebook 08: queries from the decoder, keys and values from the encoder.</summary>
    public static Matrix<float> CrossAttention(
        Matrix<float> decoderStates, Matrix<float> encoderStates, Matrix<float> wQ, Matrix<float> wK, Matrix<float> wV) =>
        Attention(decoderStates * wQ,    // [n_dec, d_k]
                  encoderStates * wK,    // [n_enc, d_k]
                  encoderStates * wV);   // [n_enc, d_v]
}
