namespace Attention;

public sealed partial class MultiHeadAttention
{
    /// <summary>
    /// Self-attention over a batch of sequences padded to one length: x [batch, length, d_model] →
    /// output [batch, length, d_model]. Sequence b has <c>keyLengths[b]</c> real tokens followed by padding; its
    /// padding keys are masked (<see cref="AttentionMask.KeyLength"/>), so its real rows equal a forward pass over
    /// the real tokens alone. Rows at padding positions are computed like any query (they see the real keys) and
    /// are meant to be ignored. Empty <paramref name="keyLengths"/>: no padding. Other mask parts in
    /// <paramref name="options"/> apply to every sequence. <paramref name="weights"/>, if not empty, receives
    /// [batch, heads, length, length].
    /// </summary>
    /// <exception cref="ArgumentException">A span's length does not match the shapes, or a key length is outside [0, length].</exception>
    public void ForwardBatch(
        ReadOnlySpan<float> x, int batch, int length, ReadOnlySpan<int> keyLengths, Span<float> output,
        AttentionOptions? options = null, Span<float> weights = default)
    {
        if (ContextDim != ModelDim)
            throw new ArgumentException(
                $"Self-attention projects keys from x itself, but this layer expects a context of width contextDim={ContextDim} and x has width modelDim={ModelDim}: pass a context.",
                nameof(x));
        ForwardBatch(x, batch, length, x, length, keyLengths, output, options, weights);
    }

    /// <summary>
    /// Cross-attention over a batch: x [batch, queryLength, d_model] attends to context [batch, contextLength, d_ctx];
    /// output [batch, queryLength, d_model]. Context b has <c>keyLengths[b]</c> real positions followed by padding,
    /// which is masked. Empty <paramref name="keyLengths"/>: no padding. <paramref name="weights"/>, if not empty,
    /// receives [batch, heads, queryLength, contextLength].
    /// </summary>
    /// <exception cref="ArgumentException">A span's length does not match the shapes, or a key length is outside [0, contextLength].</exception>
    public void ForwardBatch(
        ReadOnlySpan<float> x, int batch, int queryLength, ReadOnlySpan<float> context, int contextLength,
        ReadOnlySpan<int> keyLengths, Span<float> output, AttentionOptions? options = null, Span<float> weights = default)
    {
        // The message is built only when a check fails: a valid call allocates nothing.
        string Shapes() => $"x [{batch}, {queryLength}, {ModelDim}], context [{batch}, {contextLength}, {ContextDim}], keyLengths [{batch}] or none";
        if (batch < 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, $"batch cannot be negative ({Shapes()}).");
        if (queryLength < 0) throw new ArgumentOutOfRangeException(nameof(queryLength), queryLength, $"queryLength cannot be negative ({Shapes()}).");
        if (contextLength < 0) throw new ArgumentOutOfRangeException(nameof(contextLength), contextLength, $"contextLength cannot be negative ({Shapes()}).");
        int xSize = queryLength * ModelDim, contextSize = contextLength * ContextDim, weightsSize = Heads * queryLength * contextLength;
        if (x.Length != (long)batch * xSize)
            throw new ArgumentException($"x has {x.Length} elements, expected batch·queryLength·modelDim = {(long)batch * xSize} ({Shapes()}).", nameof(x));
        if (context.Length != (long)batch * contextSize)
            throw new ArgumentException($"context has {context.Length} elements, expected batch·contextLength·contextDim = {(long)batch * contextSize} ({Shapes()}).", nameof(context));
        if (output.Length != (long)batch * xSize)
            throw new ArgumentException($"output has {output.Length} elements, expected batch·queryLength·modelDim = {(long)batch * xSize} ({Shapes()}).", nameof(output));
        if (!weights.IsEmpty && weights.Length != (long)batch * weightsSize)
            throw new ArgumentException($"weights has {weights.Length} elements, expected batch·heads·queryLength·contextLength = {(long)batch * weightsSize} or none ({Shapes()}).", nameof(weights));
        if (!keyLengths.IsEmpty && keyLengths.Length != batch)
            throw new ArgumentException($"keyLengths has {keyLengths.Length} entries, expected one per sequence ({Shapes()}).", nameof(keyLengths));
        foreach (int keyLength in keyLengths)
            if (keyLength < 0 || keyLength > contextLength)
                throw new ArgumentException($"keyLengths holds {keyLength}, outside [0, contextLength={contextLength}] ({Shapes()}).", nameof(keyLengths));

        options ??= AttentionOptions.Default;
        for (int b = 0; b < batch; b++)
        {
            AttentionOptions sequenceOptions = keyLengths.IsEmpty ? options : WithPadding(options, keyLengths[b], queryLength, contextLength);
            Forward(
                x.Slice(b * xSize, xSize), queryLength,                 // [n_q, d_model]
                context.Slice(b * contextSize, contextSize), contextLength, // [n_k, d_ctx]
                output.Slice(b * xSize, xSize),                         // [n_q, d_model]
                sequenceOptions,
                weights.IsEmpty ? default : weights.Slice(b * weightsSize, weightsSize)); // [heads, n_q, n_k]
        }
    }

    // Padding combines with any key length already in the mask (the shorter one wins). The causal offset is pinned
    // to the padded layout (n_k − n_q) so that padding never shifts which keys a query may see.
    private static AttentionOptions WithPadding(AttentionOptions options, int keyLength, int queryLength, int contextLength) => options with
    {
        Mask = options.Mask with
        {
            KeyLength = Math.Min(keyLength, options.Mask.KeyLength ?? keyLength),
            CausalOffset = options.Mask.CausalOffset ?? (options.Mask.Causal ? contextLength - queryLength : null),
        },
    };
}
