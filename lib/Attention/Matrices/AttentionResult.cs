using MathNet.Numerics.LinearAlgebra;

namespace Attention;

/// <summary>
/// What one head of attention produced, as learner-facing matrices:
/// <see cref="Output"/> [n_q, d_v] and <see cref="Weights"/> [n_q, n_k] (row i: where query i looks; each unmasked row sums to 1).
/// </summary>
public sealed record AttentionResult(Matrix<float> Output, Matrix<float> Weights);
