using MathNet.Numerics.LinearAlgebra;

namespace Attention;

/// <summary>
/// Attention on MathNet matrices, written to read like the formulas of the course:
/// <code>
/// var S = Attend.Scores(Q, K);                 // Q·Kᵀ            [n_q, n_k]
/// var P = Attend.Softmax(S / MathF.Sqrt(d));   // row-wise        [n_q, n_k]
/// var Y = P * V;                               //                 [n_q, d_v]
/// var r = Attend.ScaledDotProduct(Q, K, V);    // all of it: r.Output, r.Weights
/// </code>
/// Matrices are converted to row-major arrays for the kernels (the kernels never see MathNet's storage).
/// </summary>
public static partial class Attend
{
    /// <summary>The raw scores S = Q·Kᵀ: Q [n_q, d_k], K [n_k, d_k] → S [n_q, n_k]; S[i, j] is query i dotted with key j.</summary>
    /// <exception cref="ArgumentException">A matrix is null, or Q and K have different widths.</exception>
    public static Matrix<float> Scores(Matrix<float> Q, Matrix<float> K)
    {
        ArgumentNullException.ThrowIfNull(Q);
        ArgumentNullException.ThrowIfNull(K);
        if (Q.ColumnCount != K.ColumnCount)
            throw new ArgumentException($"Q [{Q.RowCount}, {Q.ColumnCount}] and K [{K.RowCount}, {K.ColumnCount}] must have the same width d_k.", nameof(K));
        return Q.TransposeAndMultiply(K);
    }

    /// <summary>
    /// Softmax of each row: P[i, j] = exp(S[i, j] / temperature) / Σ_j' exp(S[i, j'] / temperature), so every row of
    /// scores [n_q, n_k] becomes weights that are positive and sum to 1. Computed stably (the row maximum is subtracted
    /// first); -inf entries get 0 and a row of only -inf gets all zeros; a NaN or +inf in a row makes that row NaN
    /// (see <see cref="global::Attention.Softmax"/>).
    /// </summary>
    /// <exception cref="ArgumentException">scores is null, or temperature is not positive and finite.</exception>
    public static Matrix<float> Softmax(Matrix<float> scores, float temperature = 1f)
    {
        ArgumentNullException.ThrowIfNull(scores);
        float[] rows = ToRowMajor(scores);   // [n_q, n_k]
        global::Attention.Softmax.ForwardRows(rows, rows, scores.RowCount, scores.ColumnCount, temperature);
        return FromRowMajor(rows, scores.RowCount, scores.ColumnCount);
    }

    /// <summary>
    /// Scaled dot-product attention of one head: softmax(Q·Kᵀ·scale + bias, masked)·V with
    /// Q [n_q, d_k], K [n_k, d_k], V [n_k, d_v] → Output [n_q, d_v], Weights [n_q, n_k].
    /// <paramref name="scale"/> null means 1/sqrt(d_k). The mask's boolean/bias parts are [n_q, n_k] row-major;
    /// a fully masked row gives a zero output row and zero weights. With <see cref="KernelPath.Tiled"/> the output comes
    /// from the tiled kernel and the weights from an extra <see cref="KernelPath.Simd"/> pass (the tiled kernel never holds them).
    /// </summary>
    /// <exception cref="ArgumentException">A matrix is null or the shapes do not fit together (the message names the matrix and the shapes).</exception>
    public static AttentionResult ScaledDotProduct(
        Matrix<float> Q, Matrix<float> K, Matrix<float> V,
        AttentionMask? mask = null, float? scale = null, KernelPath path = KernelPath.Auto)
    {
        ArgumentNullException.ThrowIfNull(Q);
        ArgumentNullException.ThrowIfNull(K);
        ArgumentNullException.ThrowIfNull(V);
        string shapes = $"Q [{Q.RowCount}, {Q.ColumnCount}], K [{K.RowCount}, {K.ColumnCount}], V [{V.RowCount}, {V.ColumnCount}]";
        if (Q.ColumnCount != K.ColumnCount)
            throw new ArgumentException($"Q and K must have the same width d_k ({shapes}).", nameof(K));
        if (K.RowCount != V.RowCount)
            throw new ArgumentException($"K and V must have one row per key, n_k ({shapes}).", nameof(V));

        var shape = new AttentionShape(heads: 1, Q.RowCount, K.RowCount, Q.ColumnCount, valueDim: V.ColumnCount);
        var output = new float[shape.OutputElements];   // [n_q, d_v]
        var weights = new float[shape.WeightElements];  // [n_q, n_k]
        var options = new AttentionOptions { Mask = mask ?? AttentionMask.None, Scale = scale, Path = path };
        LayerAttention.Forward(ToRowMajor(Q), ToRowMajor(K), ToRowMajor(V), output, shape, options, weights);
        return new AttentionResult(
            FromRowMajor(output, shape.QueryLength, shape.ValueDim),
            FromRowMajor(weights, shape.QueryLength, shape.KeyLength));
    }
}
