namespace Attention.MiniLM;

/// <summary>
/// The sizes of a BERT encoder, as read from the model's graph (all-MiniLM-L6-v2: 6 layers, 12 heads of 32,
/// d_model 384, feed-forward 1536, vocabulary 30522, 512 positions, LayerNorm ε = 1e-12).
/// </summary>
public sealed record MiniLMConfig
{
    /// <summary>Number of encoder blocks.</summary>
    public required int Layers { get; init; }

    /// <summary>Attention heads per block.</summary>
    public required int Heads { get; init; }

    /// <summary>d_model: width of every token's vector between blocks.</summary>
    public required int ModelDim { get; init; }

    /// <summary>d_k = d_model / heads: width of one head's queries, keys and values.</summary>
    public int HeadDim => ModelDim / Heads;

    /// <summary>Width of the feed-forward layer's hidden activations.</summary>
    public required int FeedForwardDim { get; init; }

    /// <summary>Number of WordPiece tokens the embedding table knows.</summary>
    public required int VocabularySize { get; init; }

    /// <summary>Longest sequence the position table covers (tokens, [CLS] and [SEP] included).</summary>
    public required int MaxPositions { get; init; }

    /// <summary>Rows of the token-type (segment) table.</summary>
    public required int TokenTypes { get; init; }

    /// <summary>The ε added to the variance in every LayerNorm.</summary>
    public required float LayerNormEpsilon { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"BERT encoder: {Layers} layers × {Heads} heads (d_k = {HeadDim}), d_model = {ModelDim}, feed-forward {FeedForwardDim}, " +
        $"vocabulary {VocabularySize}, up to {MaxPositions} positions, LayerNorm ε = {LayerNormEpsilon:G3}";
}
