namespace Attention;

public sealed partial class MultiHeadAttention
{
    /// <summary>
    /// Causal self-attention for the next <paramref name="newTokens"/> tokens x [newTokens, d_model] of a sequence whose
    /// earlier keys and values are in <paramref name="cache"/>: their keys and values are appended to the cache, then
    /// each new token attends to every cached position up to its own. output [newTokens, d_model]. Feeding a sequence
    /// one token at a time gives the rows of one causal <see cref="Forward(ReadOnlySpan{float}, int, Span{float}, AttentionOptions?, Span{float})"/>
    /// over the whole sequence. <see cref="Rope"/> rotates for positions cache.Length onwards.
    /// Causal masking is always on; other mask parts in <paramref name="options"/> must have the shape of this call
    /// ([newTokens, cache.Length + newTokens] or [heads, newTokens, cache.Length + newTokens]).
    /// <paramref name="weights"/>, if not empty, receives [heads, newTokens, cache.Length + newTokens] (the length after appending).
    /// </summary>
    /// <exception cref="ArgumentException">A span's length does not match, the cache was made for other head sizes, or it has no room for the tokens (nothing is changed then).</exception>
    public void ForwardCached(
        ReadOnlySpan<float> x, int newTokens, KvCache cache, Span<float> output,
        AttentionOptions? options = null, Span<float> weights = default)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (cache.KvHeads != KvHeads || cache.HeadDim != HeadDim)
            throw new ArgumentException(
                $"cache holds kvHeads={cache.KvHeads} heads of width {cache.HeadDim}, this layer needs kvHeads={KvHeads}, d_head={HeadDim}.", nameof(cache));
        if (ContextDim != ModelDim)
            throw new ArgumentException($"Cached decoding is self-attention: it needs contextDim ({ContextDim}) = modelDim ({ModelDim}).", nameof(x));
        if (newTokens < 0) throw new ArgumentOutOfRangeException(nameof(newTokens), newTokens, "newTokens cannot be negative.");
        cache.EnsureRoom(newTokens);
        int start = cache.Length, total = start + newTokens;
        ValidateForward(x.Length, newTokens, x.Length, newTokens, output.Length, weightsLength: 0);
        if (!weights.IsEmpty && weights.Length != (long)Heads * newTokens * total)
            throw new ArgumentException(
                $"weights has {weights.Length} elements, expected heads·newTokens·(cache.Length + newTokens) = {(long)Heads * newTokens * total} or none (heads={Heads}, newTokens={newTokens}, cache.Length={start}).",
                nameof(weights));

        using var q = new PooledBuffer(Heads * newTokens * HeadDim);      // [heads,   m, d_head]
        using var k = new PooledBuffer(KvHeads * newTokens * HeadDim);    // [kvHeads, m, d_head]
        using var v = new PooledBuffer(KvHeads * newTokens * HeadDim);    // [kvHeads, m, d_head]
        using var heads = new PooledBuffer(Heads * newTokens * HeadDim);  // [heads,   m, d_head]

        ProjectInputs(x, newTokens, x, newTokens, q.Span, k.Span, v.Span, positionOffset: start, options?.MaxThreads);
        cache.Append(k.Span, v.Span, newTokens);

        options ??= AttentionOptions.Default;
        // The default causal offset n_k − n_q = start puts new token t at position start + t: it sees the cache up to itself.
        AttentionOptions causal = options with { Mask = options.Mask with { Causal = true } };
        AttendToCache(q.Span, cache, newTokens, heads.Span, causal, weights);
        ProjectOutput(heads.Span, newTokens, output, options.MaxThreads);
    }

    /// <summary>
    /// Attention of q [heads, m, d_head] over the cache's filled positions. The cache stores each key/value head with a
    /// stride of its capacity, so each group of query heads sharing one key/value head is one kernel call on that head's
    /// contiguous [Length, d_head] block: no copy of the cache.
    /// </summary>
    private void AttendToCache(ReadOnlySpan<float> q, KvCache cache, int newTokens, Span<float> heads, AttentionOptions options, Span<float> weights)
    {
        int group = Heads / KvHeads, total = cache.Length;
        var shape = new AttentionShape(group, newTokens, total, HeadDim, kvHeads: 1);
        for (int g = 0; g < KvHeads; g++)
        {
            AttentionOptions groupOptions = options with { Mask = MaskOfGroup(options.Mask, g, group, newTokens * total) };
            LayerAttention.Forward(
                q.Slice(g * shape.QueryElements, shape.QueryElements),   // [group, m, d_head]
                cache.KeysOf(g),                                         // [1, total, d_head]
                cache.ValuesOf(g),                                       // [1, total, d_head]
                heads.Slice(g * shape.OutputElements, shape.OutputElements), // [group, m, d_head]
                shape, groupOptions,
                weights.IsEmpty ? default : weights.Slice(g * shape.WeightElements, shape.WeightElements)); // [group, m, total]
        }
    }

    // A per-head boolean mask or bias [heads, m, total] is cut to the heads of group g; a shared [m, total] one stays whole.
    private AttentionMask MaskOfGroup(AttentionMask mask, int g, int group, int perHead)
    {
        if (KvHeads == 1) return mask;
        return mask with
        {
            Allowed = mask.Allowed.Length == Heads * perHead ? mask.Allowed.Slice(g * group * perHead, group * perHead) : mask.Allowed,
            Bias = mask.Bias.Length == Heads * perHead ? mask.Bias.Slice(g * group * perHead, group * perHead) : mask.Bias,
        };
    }
}
