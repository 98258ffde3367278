namespace Attention;

/// <summary>
/// How the layers and the matrix API call <see cref="ScaledDotProductAttention.Forward"/>: the same, except that
/// weights may be asked for on <see cref="KernelPath.Tiled"/>. The tiled kernel never holds the weights, so the
/// output comes from it and the weights [heads, n_q, n_k] from an extra pass on <see cref="KernelPath.Simd"/>.
/// </summary>
internal static class LayerAttention
{
    public static void Forward(
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> output,
        in AttentionShape shape, AttentionOptions? options, Span<float> weights)
    {
        if (weights.IsEmpty || options?.Path != KernelPath.Tiled)
        {
            ScaledDotProductAttention.Forward(q, k, v, output, shape, options, weights);
            return;
        }
        ScaledDotProductAttention.Forward(q, k, v, output, shape, options);
        using var discarded = new PooledBuffer(shape.OutputElements);   // [heads, n_q, d_v], the Simd pass's copy of the output
        ScaledDotProductAttention.Forward(q, k, v, discarded.Span, shape, options with { Path = KernelPath.Simd }, weights);
    }
}
