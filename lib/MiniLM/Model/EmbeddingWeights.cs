namespace Attention.MiniLM;

/// <summary>
/// The input layer: a token's vector is word[id] + position[i] + tokenType[type], then LayerNorm.
/// Every table is row-major [rows, d_model].
/// </summary>
public sealed record EmbeddingWeights(
    float[] Word,          // [vocabulary, d_model]
    float[] Position,      // [max positions, d_model]
    float[] TokenType,     // [token types, d_model]
    LayerNormWeights Norm);

/// <summary>LayerNorm's learned per-feature scale γ and shift β, both [d_model], and its ε.</summary>
public sealed record LayerNormWeights(float[] Scale, float[] Bias, float Epsilon);

/// <summary>A dense layer y = x·W + b with W stored [in, out] (the ONNX MatMul layout) and b [out].</summary>
public sealed record DenseWeights(float[] Weight, float[] Bias, int InDim, int OutDim);
