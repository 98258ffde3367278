namespace Attention;

/// <summary>
/// Attention(Q, K, V) = softmax(Q·Kᵀ · scale + bias, masked) · V, over heads; the span-level entry point.
/// Shapes are in <see cref="AttentionShape"/>; masks in <see cref="AttentionMask"/>.
/// </summary>
public static class ScaledDotProductAttention
{
    /// <summary>
    /// Compute attention for every head. <paramref name="weights"/>, if not empty, receives the attention
    /// weights [heads, n_q, n_k] (the tiled path never holds them, so asking for weights picks another path under Auto).
    /// </summary>
    public static void Forward(
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> output,
        in AttentionShape shape, AttentionOptions? options = null, Span<float> weights = default)
        => throw new NotImplementedException("being written (issue 2)");
}
