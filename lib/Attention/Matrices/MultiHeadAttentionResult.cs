using MathNet.Numerics.LinearAlgebra;

namespace Attention;

/// <summary>
/// What a multi-head attention layer produced, as learner-facing matrices: <see cref="Output"/> [n_q, d_model] and,
/// per head h, <see cref="Weights"/>[h] [n_q, n_k] (row i: where query i looks in that head).
/// </summary>
public sealed record MultiHeadAttentionResult(Matrix<float> Output, IReadOnlyList<Matrix<float>> Weights);
