using Attention.Kernels;
using Attention.Kernels.Reference;
using Attention.Kernels.Simd;
using Attention.Kernels.Tiled;

namespace Attention;

/// <summary>
/// Attention(Q, K, V) = softmax(Q·Kᵀ · scale + bias, masked) · V, over heads; the span-level entry point.
/// Shapes are in <see cref="AttentionShape"/>; masks in <see cref="AttentionMask"/>.
/// </summary>
public static class ScaledDotProductAttention
{
    /// <summary>
    /// Compute attention for every head: <c>output[h, i, :] = Σ_j weights[h, i, j] · v[h / groupSize, j, :]</c> with
    /// <c>weights[h, i, :] = softmax(q[h, i, :] · k[h / groupSize, j, :] · scale + bias[h, i, j])</c> over the keys the masks allow.
    /// </summary>
    /// <param name="q">Queries [heads, n_q, d_k].</param>
    /// <param name="k">Keys [kvHeads, n_k, d_k].</param>
    /// <param name="v">Values [kvHeads, n_k, d_v].</param>
    /// <param name="output">Receives the result [heads, n_q, d_v]; must not overlap the inputs.</param>
    /// <param name="shape">The sizes; every span length must match it exactly.</param>
    /// <param name="options">Scale (default 1/√d_k; must be positive and finite), masks, kernel path, threads. Null means defaults.</param>
    /// <param name="weights">
    /// Empty (no weights), or receives the attention weights [heads, n_q, n_k]. The tiled path never holds them:
    /// asking for weights with <see cref="KernelPath.Tiled"/> throws, and <see cref="KernelPath.Auto"/> then picks <see cref="KernelPath.Simd"/>.
    /// </param>
    /// <remarks>
    /// Defined behaviour, identical on every path:
    /// <list type="bullet">
    /// <item>A fully masked query row (and every row when n_k = 0 or Mask.KeyLength = 0) gets a zero output row and zero weights.</item>
    /// <item>Masked keys have weight exactly 0 and cannot influence the output: keys hidden by the causal or padding mask
    /// are skipped, keys masked by Allowed = false or Bias = -inf get the score -inf whatever q·k is, and the value row of
    /// a masked key is never read. So NaN or infinity stored in a masked key or value cannot reach the output.</item>
    /// <item>A key whose scaled logit is -inf for another reason (q·k overflowing to -inf) is treated like a masked key.</item>
    /// <item>NaN in an unmasked element of q, k or a bias, or a logit of +inf (q·k overflow, +inf bias), makes that query row
    /// undefined: its output row is NaN and its unmasked weights are NaN (masked weights stay 0). NaN in an unmasked value
    /// row makes NaN every output row that attends to that key, even where its weight rounds to 0 (0·NaN = NaN); an
    /// infinite value gives infinite or NaN outputs in those rows.</item>
    /// <item>Large finite logits (±1e30) are safe: the softmax subtracts the row maximum before exponentiating.</item>
    /// </list>
    /// </remarks>
    /// <exception cref="ArgumentException">A span length does not match the shape (the message names the argument, its length,
    /// the layout and the shape), a mask has the wrong length, output or weights overlap an input, weights were requested
    /// with Path = Tiled, or shape is default.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Scale not positive and finite, Mask.KeyLength outside [0, n_k],
    /// MaxThreads below 1, or an undefined Path.</exception>
    /// <exception cref="ArgumentNullException">options.Mask is null.</exception>
    public static void Forward(
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> output,
        in AttentionShape shape, AttentionOptions? options = null, Span<float> weights = default)
    {
        options ??= AttentionOptions.Default;
        var (scale, mask) = AttentionArguments.Validate(q, k, v, output, weights, shape, options);
        var path = ChoosePath(shape, options, withWeights: !weights.IsEmpty);
        if (shape.QueryLength == 0) return;
        int threads = options.MaxThreads ?? Environment.ProcessorCount;

        switch (path)
        {
            case KernelPath.Reference:
                ReferenceAttention.Forward(q, k, v, output, weights, shape, scale, mask);
                break;
            case KernelPath.Tiled:
                TiledAttention.Forward(q, k, v, output, shape, scale, mask, threads);
                break;
            case KernelPath.Simd:
                SimdAttention.Forward(q, k, v, output, weights, shape, scale, mask, threads);
                break;
            default:
                throw new InvalidOperationException($"ChoosePath returned {path}.");
        }
    }

    /// <summary>
    /// The kernel that <see cref="Forward"/> runs for this call. An explicit <see cref="AttentionOptions.Path"/> is
    /// kept. <see cref="KernelPath.Auto"/> picks:
    /// <list type="number">
    /// <item><see cref="KernelPath.Simd"/> when weights are requested (the tiled path never holds the score matrix);</item>
    /// <item><see cref="KernelPath.Tiled"/> otherwise, whatever the size: measured on the course machine it is 5–10× faster
    /// than the row-at-a-time path even for one query row (decoding) or 16 keys.</item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentException">Weights requested with Path = Tiled.</exception>
    public static KernelPath ChoosePath(in AttentionShape shape, AttentionOptions? options = null, bool withWeights = false)
    {
        var requested = (options ?? AttentionOptions.Default).Path;
        if (requested == KernelPath.Tiled && withWeights)
            throw new ArgumentException(
                $"The tiled path never holds the score matrix, so it cannot return weights [heads, n_q, n_k] ({shape}). " +
                "Pass an empty weights span, or use Path = Auto, Simd or Reference.", "weights");
        if (requested != KernelPath.Auto) return requested;
        return withWeights ? KernelPath.Simd : KernelPath.Tiled;
    }
}
