namespace Attention.MiniLM;

/// <summary>
/// Everything the forward pass needs, read from the ONNX graph, plus the names of the graph values a validation run
/// can ask ONNX Runtime for.
/// </summary>
public sealed record MiniLMWeights(MiniLMConfig Config, EmbeddingWeights Embeddings, IReadOnlyList<EncoderLayerWeights> Layers)
{
    /// <summary>The graph value holding each layer's attention probabilities (a Softmax output, [batch, heads, n, n]).</summary>
    public required IReadOnlyList<string> AttentionProbabilityValues { get; init; }

    /// <summary>The graph value holding the last block's output [batch, n, d_model].</summary>
    public required string LastHiddenStateValue { get; init; }

    /// <summary>The graph inputs: token ids, attention mask (1 = real token), token type ids; each [batch, n] int64.</summary>
    public required (string TokenIds, string AttentionMask, string TokenTypeIds) InputNames { get; init; }
}
