namespace Attention.Kernels.Reference;

/// <summary>
/// Scaled dot-product attention as plain scalar loops, to be read next to the formula
/// <c>Attention(Q, K, V) = softmax(Q·Kᵀ / √d_k + bias, masked) · V</c>.
/// Per head and query row: one row of scores, the masks, a softmax, a weighted sum of value rows.
/// Every other path is tested against this one (and this one against a float64 version in the tests).
/// </summary>
internal static class ReferenceAttention
{
    public static void Forward(
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> output, Span<float> weights,
        in AttentionShape shape, float scale, in KeyMask mask)
    {
        int nQ = shape.QueryLength, nK = shape.KeyLength, dK = shape.HeadDim, dV = shape.ValueDim;
        var scores = new float[nK];                                        // [n_k] one row of Q·Kᵀ
        var probs = new float[nK];                                         // [n_k] one row of softmax(scores)

        for (int h = 0; h < shape.Heads; h++)
        {
            int kvHead = h / shape.GroupSize;                              // GQA: query heads share key/value heads
            var qHead = q.Slice(h * nQ * dK, nQ * dK);                     // [n_q, d_k]
            var kHead = k.Slice(kvHead * nK * dK, nK * dK);                // [n_k, d_k]
            var vHead = v.Slice(kvHead * nK * dV, nK * dV);                // [n_k, d_v]
            var outHead = output.Slice(h * nQ * dV, nQ * dV);              // [n_q, d_v]

            for (int i = 0; i < nQ; i++)
            {
                var qRow = qHead.Slice(i * dK, dK);                        // [d_k]
                var outRow = outHead.Slice(i * dV, dV);                    // [d_v]
                int visible = mask.VisibleKeys(i);                         // causal + padding: keys [0, visible)
                var allowed = mask.AllowedRow(h, i);                       // [n_k] or empty
                var bias = mask.BiasRow(h, i);                             // [n_k] or empty

                // 1. scores[j] = q_i · k_j * scale + bias[j]; masked keys get -inf.
                float max = float.NegativeInfinity;
                for (int j = 0; j < nK; j++)
                {
                    bool masked = j >= visible
                        || (!allowed.IsEmpty && !allowed[j])
                        || (!bias.IsEmpty && bias[j] == float.NegativeInfinity);
                    if (masked) { scores[j] = float.NegativeInfinity; continue; }

                    var kRow = kHead.Slice(j * dK, dK);                    // [d_k]
                    float dot = 0f;
                    for (int d = 0; d < dK; d++) dot += qRow[d] * kRow[d];
                    scores[j] = dot * scale + (bias.IsEmpty ? 0f : bias[j]);
                    max = MathF.Max(max, scores[j]);                       // MathF.Max propagates NaN
                }

                // 2. probs = softmax(scores), stable: exp(s - max) never overflows.
                if (max == float.NegativeInfinity)
                {
                    // Fully masked row: no key to attend to, so zero weights and a zero output.
                    probs.AsSpan().Clear();
                }
                else if (!float.IsFinite(max))
                {
                    // A NaN or +inf logit: the row is undefined (inf - inf), so every unmasked weight is NaN.
                    for (int j = 0; j < nK; j++)
                        probs[j] = scores[j] == float.NegativeInfinity ? 0f : float.NaN;
                }
                else
                {
                    float sum = 0f;
                    for (int j = 0; j < nK; j++)
                    {
                        probs[j] = MathF.Exp(scores[j] - max);             // exp(-inf) = 0 for masked keys
                        sum += probs[j];
                    }
                    for (int j = 0; j < nK; j++) probs[j] /= sum;          // sum >= 1: the max term is exp(0)
                }

                // 3. out_i = Σ_j probs[j] · v_j over the keys that were not masked out.
                outRow.Clear();
                for (int j = 0; j < nK; j++)
                {
                    if (scores[j] == float.NegativeInfinity) continue;     // a masked value row is never read
                    var vRow = vHead.Slice(j * dV, dV);                    // [d_v]
                    for (int c = 0; c < dV; c++) outRow[c] += probs[j] * vRow[c];
                }

                if (!weights.IsEmpty) probs.CopyTo(weights.Slice((h * nQ + i) * nK, nK));  // weights[h, i, :]
            }
        }
    }
}
