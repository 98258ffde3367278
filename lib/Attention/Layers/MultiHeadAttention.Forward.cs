namespace Attention;

public sealed partial class MultiHeadAttention
{
    /// <summary>
    /// Self-attention: queries, keys and values all come from x [length, d_model]; output [length, d_model].
    /// <paramref name="weights"/>, if not empty, receives each head's attention weights [heads, length, length].
    /// <paramref name="options"/> carries the mask (causal, padding, boolean, bias), the kernel path, the scale
    /// (null: 1/sqrt(d_head)) and the thread limit, all passed to <see cref="ScaledDotProductAttention.Forward"/>.
    /// With <see cref="Rope"/> set, queries and keys are rotated for positions 0 … length−1.
    /// Weights may be asked for on every path: on <see cref="KernelPath.Tiled"/>, which never holds them, they come
    /// from an extra <see cref="KernelPath.Simd"/> pass. Needs <see cref="ContextDim"/> = <see cref="ModelDim"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A span's length does not match the shapes, or the layer is built for a context of another width.</exception>
    public void Forward(ReadOnlySpan<float> x, int length, Span<float> output, AttentionOptions? options = null, Span<float> weights = default)
    {
        if (ContextDim != ModelDim)
            throw new ArgumentException(
                $"Self-attention projects keys from x itself, but this layer expects a context of width contextDim={ContextDim} and x has width modelDim={ModelDim}: pass a context.",
                nameof(x));
        Forward(x, length, x, length, output, options, weights);
    }

    /// <summary>
    /// Cross-attention: queries from x [queryLength, d_model], keys and values from context [contextLength, d_ctx];
    /// output [queryLength, d_model]. <paramref name="weights"/>, if not empty, receives [heads, queryLength, contextLength].
    /// Options as in the self-attention overload. With <see cref="Rope"/> set, queries and keys are both rotated for
    /// positions from 0. With no context (contextLength 0) every head's attention is zero, so each output row is b_O.
    /// </summary>
    /// <exception cref="ArgumentException">A span's length does not match the shapes (the message names it and the shapes).</exception>
    public void Forward(
        ReadOnlySpan<float> x, int queryLength, ReadOnlySpan<float> context, int contextLength,
        Span<float> output, AttentionOptions? options = null, Span<float> weights = default)
    {
        ValidateForward(x.Length, queryLength, context.Length, contextLength, output.Length, weights.Length);
        var shape = new AttentionShape(Heads, queryLength, contextLength, HeadDim, kvHeads: KvHeads);

        using var q = new PooledBuffer(shape.QueryElements);    // [heads,   n_q, d_head]
        using var k = new PooledBuffer(shape.KeyElements);      // [kvHeads, n_k, d_head]
        using var v = new PooledBuffer(shape.ValueElements);    // [kvHeads, n_k, d_head]
        using var heads = new PooledBuffer(shape.OutputElements); // [heads,   n_q, d_head]

        int? threads = options?.MaxThreads;
        ProjectInputs(x, queryLength, context, contextLength, q.Span, k.Span, v.Span, positionOffset: 0, threads);
        LayerAttention.Forward(q.Span, k.Span, v.Span, heads.Span, shape, options, weights);
        ProjectOutput(heads.Span, queryLength, output, threads);
    }

    /// <summary>
    /// q [heads, n_q, d_head] = x [n_q, d_model]·W_Q + b_Q, k and v [kvHeads, n_k, d_head] = context [n_k, d_ctx]·W_K + b_K and
    /// ·W_V + b_V: the three products as one parallel loop, each writing straight into the per-head layout (head h is
    /// columns h·d_head …); q and k then rotated by RoPE when set.
    /// </summary>
    private unsafe void ProjectInputs(ReadOnlySpan<float> x, int queryLength, ReadOnlySpan<float> context, int contextLength,
        Span<float> q, Span<float> k, Span<float> v, int positionOffset, int? maxThreads)
    {
        fixed (float* xp = x, cp = context, qp = q, kp = k, vp = v)
        fixed (float* wq = QueryWeight, wk = KeyWeight, wv = ValueWeight, bq = QueryBias, bk = KeyBias, bv = ValueBias)
        {
            var packed = packedWeights;                              // null: W panels are copied out of the live arrays
            var queries = new Projection(xp, MatrixLayout.RowMajor(ModelDim), wq, bq, qp, MatrixLayout.PerHead(queryLength, HeadDim), queryLength, ModelDim, ModelDim, packed is null ? null : packed.Query.Panels);
            var keys = new Projection(cp, MatrixLayout.RowMajor(ContextDim), wk, bk, kp, MatrixLayout.PerHead(contextLength, HeadDim), contextLength, ContextDim, KvDim, packed is null ? null : packed.Key.Panels);
            var values = new Projection(cp, MatrixLayout.RowMajor(ContextDim), wv, bv, vp, MatrixLayout.PerHead(contextLength, HeadDim), contextLength, ContextDim, KvDim, packed is null ? null : packed.Value.Panels);
            new ProjectionSet(queries, keys, values).Run(maxThreads);
            GC.KeepAlive(packed);
        }
        Rope?.Apply(q, Heads, queryLength, positionOffset);
        Rope?.Apply(k, KvHeads, contextLength, positionOffset);
    }

    /// <summary>output [n, d_model] = concat(heads [heads, n, d_head])·W_O + b_O, read from the per-head layout directly.</summary>
    private unsafe void ProjectOutput(ReadOnlySpan<float> heads, int length, Span<float> output, int? maxThreads)
    {
        fixed (float* hp = heads, op = output, wo = OutputWeight, bo = OutputBias)
        {
            var packed = packedWeights;
            var product = new Projection(hp, MatrixLayout.PerHead(length, HeadDim), wo, bo, op, MatrixLayout.RowMajor(ModelDim), length, ModelDim, ModelDim, packed is null ? null : packed.Output.Panels);
            new ProjectionSet(product).Run(maxThreads);
            GC.KeepAlive(packed);                                    // its native panels were read through pointers above
        }
    }

    private void ValidateForward(int xLength, int queryLength, int contextLength, int contextRows, int outputLength, int weightsLength)
    {
        // The message is built only when a check fails: a valid call allocates nothing.
        string Shapes() => $"x [{queryLength}, {ModelDim}], context [{contextRows}, {ContextDim}], output [{queryLength}, {ModelDim}], weights [{Heads}, {queryLength}, {contextRows}] or none";
        if (queryLength < 0) throw new ArgumentOutOfRangeException(nameof(queryLength), queryLength, $"queryLength cannot be negative ({Shapes()}).");
        if (contextRows < 0) throw new ArgumentOutOfRangeException("contextLength", contextRows, $"contextLength cannot be negative ({Shapes()}).");
        if (xLength != (long)queryLength * ModelDim)
            throw new ArgumentException($"x has {xLength} elements, expected queryLength·modelDim = {(long)queryLength * ModelDim} ({Shapes()}).", "x");
        if (contextLength != (long)contextRows * ContextDim)
            throw new ArgumentException($"context has {contextLength} elements, expected contextLength·contextDim = {(long)contextRows * ContextDim} ({Shapes()}).", "context");
        if (outputLength != (long)queryLength * ModelDim)
            throw new ArgumentException($"output has {outputLength} elements, expected queryLength·modelDim = {(long)queryLength * ModelDim} ({Shapes()}).", "output");
        if (weightsLength != 0 && weightsLength != (long)Heads * queryLength * contextRows)
            throw new ArgumentException($"weights has {weightsLength} elements, expected heads·queryLength·contextLength = {(long)Heads * queryLength * contextRows} or none ({Shapes()}).", "weights");
    }
}
