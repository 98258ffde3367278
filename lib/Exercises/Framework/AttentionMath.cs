namespace Course.Exercises.Framework;

/// <summary>Single-head scaled dot-product attention in float64 with float32 error bounds, parameterised so that the wrong variants reuse it.</summary>
internal static class AttentionMath
{
    /// <summary>
    /// weights = softmax(scale · Q·Kᵀ) over the allowed keys of each row, output = weights · V.
    /// q [n_q, d_k], k [n_k, d_k], v [n_k, d_v] → output [n_q, d_v], weights [n_q, n_k].
    /// </summary>
    public static (Tensor Output, Tensor Weights) Forward(Tensor q, Tensor k, Tensor v, double scale, bool[,]? allowed = null)
    {
        Tensor scores = TensorMath.Scale(TensorMath.MatMul(q, TensorMath.Transpose(k)), scale);   // [n_q, n_k]
        Tensor weights = SoftmaxMath.Rows(scores, allowed);                                          // [n_q, n_k]
        return (TensorMath.MatMul(weights, v), weights);                                             // [n_q, d_v]
    }

    /// <summary>The standard scale 1/√d_k.</summary>
    public static double DefaultScale(int headDim) => 1 / Math.Sqrt(headDim);

    /// <summary>bool [n_q, n_k]: query i may attend key j when j ≤ i + offset.</summary>
    public static bool[,] Causal(int queries, int keys, int offset = 0)
    {
        var allowed = new bool[queries, keys];
        for (int i = 0; i < queries; i++)
            for (int j = 0; j < keys; j++)
                allowed[i, j] = j <= i + offset;
        return allowed;
    }

    /// <summary>bool [n_q, n_k]: only keys [0, validKeys) may be attended.</summary>
    public static bool[,] Padding(int queries, int keys, int validKeys)
    {
        var allowed = new bool[queries, keys];
        for (int i = 0; i < queries; i++)
            for (int j = 0; j < keys; j++)
                allowed[i, j] = j < validKeys;
        return allowed;
    }

    /// <summary>Elementwise logical not.</summary>
    public static bool[,] Invert(bool[,] allowed)
    {
        var inverted = new bool[allowed.GetLength(0), allowed.GetLength(1)];
        for (int i = 0; i < inverted.GetLength(0); i++)
            for (int j = 0; j < inverted.GetLength(1); j++)
                inverted[i, j] = !allowed[i, j];
        return inverted;
    }
}
