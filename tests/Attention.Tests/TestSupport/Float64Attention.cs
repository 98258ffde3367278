using Attention;

namespace Attention.Tests.TestSupport;

/// <summary>
/// Scaled dot-product attention in float64, written independently of the library (its own mask logic, its own
/// softmax) so that every float32 path can be measured against it. Same layouts and masks as
/// <see cref="ScaledDotProductAttention.Forward"/>, same defined behaviour for fully masked rows and non-finite logits.
/// </summary>
public static class Float64Attention
{
    /// <summary>Output [heads, n_q, d_v] and weights [heads, n_q, n_k] in float64.</summary>
    public static (double[] Output, double[] Weights) Forward(
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, AttentionShape shape, AttentionOptions? options = null)
    {
        // Arrays rather than spans: this assembly is built Debug, where every span index is a call.
        float[] qs = q.ToArray(), ks = k.ToArray(), vs = v.ToArray();
        options ??= AttentionOptions.Default;
        var mask = options.Mask;
        int heads = shape.Heads, nQ = shape.QueryLength, nK = shape.KeyLength, dK = shape.HeadDim, dV = shape.ValueDim;
        int group = heads / shape.KvHeads;
        double scale = options.Scale ?? 1f / MathF.Sqrt(dK);   // the same float32 scale the library uses by default
        int realKeys = mask.KeyLength ?? nK;
        long offset = mask.CausalOffset ?? (long)nK - nQ;
        bool[] allowed = mask.Allowed.ToArray();
        float[] bias = mask.Bias.ToArray();
        int plane = nQ * nK;

        var output = new double[heads * nQ * dV];
        var weights = new double[heads * nQ * nK];
        var logits = new double[nK];
        var keep = new bool[nK];

        for (int h = 0; h < heads; h++)
        {
            int g = h / group;
            for (int i = 0; i < nQ; i++)
            {
                int qBase = (h * nQ + i) * dK;
                for (int j = 0; j < nK; j++)
                {
                    int maskIndex = i * nK + j;
                    bool ok = j < realKeys && (!mask.Causal || j <= i + offset);
                    if (ok && allowed.Length > 0) ok = allowed[allowed.Length > plane ? h * plane + maskIndex : maskIndex];
                    double b = 0;
                    if (ok && bias.Length > 0) b = bias[bias.Length > plane ? h * plane + maskIndex : maskIndex];
                    if (b == double.NegativeInfinity) ok = false;   // a -inf bias masks the key whatever q·k is
                    logits[j] = double.NegativeInfinity;
                    if (ok)
                    {
                        int kBase = (g * nK + j) * dK;
                        double dot = 0;
                        for (int d = 0; d < dK; d++) dot += (double)qs[qBase + d] * ks[kBase + d];
                        logits[j] = dot * scale + b;
                    }
                    keep[j] = logits[j] != double.NegativeInfinity;
                }

                var w = weights.AsSpan((h * nQ + i) * nK, nK);
                Softmax64(logits, keep, w);
                int outBase = (h * nQ + i) * dV;
                for (int j = 0; j < nK; j++)
                {
                    if (!keep[j]) continue;
                    double wj = weights[(h * nQ + i) * nK + j];
                    int vBase = (g * nK + j) * dV;
                    for (int c = 0; c < dV; c++) output[outBase + c] += wj * vs[vBase + c];
                }
            }
        }
        return (output, weights);
    }

    /// <summary>Softmax in float64 over the kept entries: all-masked → zeros; NaN or +inf present → NaN on kept entries.</summary>
    public static void Softmax64(ReadOnlySpan<double> logits, ReadOnlySpan<bool> keep, Span<double> probs)
    {
        double max = double.NegativeInfinity;
        bool poisoned = false;
        for (int j = 0; j < logits.Length; j++)
        {
            if (!keep[j]) continue;
            if (double.IsNaN(logits[j]) || double.IsPositiveInfinity(logits[j])) poisoned = true;
            else max = Math.Max(max, logits[j]);
        }
        double sum = 0;
        for (int j = 0; j < logits.Length; j++)
        {
            probs[j] = !keep[j] ? 0 : poisoned ? double.NaN : Math.Exp(logits[j] - max);
            sum += keep[j] && !poisoned ? probs[j] : 0;
        }
        if (poisoned || sum == 0) return;
        for (int j = 0; j < logits.Length; j++) probs[j] /= sum;
    }
}
