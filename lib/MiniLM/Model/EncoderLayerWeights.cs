namespace Attention.MiniLM;

/// <summary>
/// One encoder block (post-LayerNorm BERT):
/// <code>
/// a = LayerNorm(x + MultiHeadAttention(x))          Query, Key, Value, Output, AttentionNorm
/// y = LayerNorm(a + W₂·GELU(W₁·a + b₁) + b₂)         FeedForwardIn (W₁), FeedForwardOut (W₂), OutputNorm
/// </code>
/// </summary>
public sealed record EncoderLayerWeights(
    DenseWeights Query,            // [d_model, d_model]
    DenseWeights Key,              // [d_model, d_model]
    DenseWeights Value,            // [d_model, d_model]
    DenseWeights Output,           // [d_model, d_model]
    LayerNormWeights AttentionNorm,
    DenseWeights FeedForwardIn,    // [d_model, d_ff]
    DenseWeights FeedForwardOut,   // [d_ff, d_model]
    LayerNormWeights OutputNorm);
