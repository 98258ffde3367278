using System.Numerics;
using Attention.Tests.TestSupport;

namespace Attention.Tests.Layers;

/// <summary>
/// Multi-head attention written straight from the formulas with plain loops, independent of the library's code,
/// generic in the number type: the double instance is the oracle, the float instance is a naive float32
/// implementation whose distance from the double one sets the tolerance of each test (<see cref="Tolerance.Derived"/>).
/// It reads the layer's weights and sizes only; masks follow the documented semantics of <see cref="AttentionMask"/>.
/// </summary>
internal static class MhaOracle
{
    /// <summary>Output [n_q, d_model] and weights [heads, n_q, n_k] of x [n_q, d_model] attending to context [n_k, d_ctx].</summary>
    public static (T[] Output, T[] Weights) Forward<T>(
        MultiHeadAttention layer, float[] x, int queryLength, float[] context, int keyLength, AttentionOptions? options = null)
        where T : IFloatingPointIeee754<T>
    {
        options ??= AttentionOptions.Default;
        int heads = layer.Heads, dHead = layer.HeadDim, dModel = layer.ModelDim, group = layer.Heads / layer.KvHeads;
        T[] queries = Project<T>(x, queryLength, dModel, layer.QueryWeight, layer.QueryBias, dModel);           // [n_q, d_model]
        T[] keys = Project<T>(context, keyLength, layer.ContextDim, layer.KeyWeight, layer.KeyBias, layer.KvDim);   // [n_k, kvHeads·d_head]
        T[] values = Project<T>(context, keyLength, layer.ContextDim, layer.ValueWeight, layer.ValueBias, layer.KvDim);
        if (layer.Rope is { } rope)
        {
            Rotate(queries, queryLength, heads, dHead, rope.Base);
            Rotate(keys, keyLength, layer.KvHeads, dHead, rope.Base);
        }

        var mask = options.Mask;
        T scale = T.CreateTruncating(options.Scale ?? 1f / MathF.Sqrt(dHead));
        int realKeys = mask.KeyLength ?? keyLength;
        int offset = mask.CausalOffset ?? keyLength - queryLength;
        int plane = queryLength * keyLength;
        var concat = new T[queryLength * dModel];          // [n_q, heads·d_head]
        var weights = new T[heads * plane];                 // [heads, n_q, n_k]
        var logits = new T[keyLength];
        var visible = new bool[keyLength];
        for (int h = 0; h < heads; h++)
        {
            int g = h / group;
            for (int i = 0; i < queryLength; i++)
            {
                T max = T.NegativeInfinity;
                for (int j = 0; j < keyLength; j++)
                {
                    int m = i * keyLength + j;
                    visible[j] = j < realKeys && (!mask.Causal || j <= i + offset)
                        && (mask.Allowed.IsEmpty || mask.Allowed.Span[mask.Allowed.Length > plane ? h * plane + m : m]);
                    if (!visible[j]) continue;
                    T dot = T.Zero;
                    for (int c = 0; c < dHead; c++)
                        dot += queries[i * dModel + h * dHead + c] * keys[j * layer.KvDim + g * dHead + c];
                    T bias = mask.Bias.IsEmpty ? T.Zero : T.CreateTruncating(mask.Bias.Span[mask.Bias.Length > plane ? h * plane + m : m]);
                    logits[j] = dot * scale + bias;
                    max = T.Max(max, logits[j]);
                }
                if (T.IsNegativeInfinity(max)) continue;   // fully masked: zero weights, zero output
                T sum = T.Zero;
                Span<T> row = weights.AsSpan(h * plane + i * keyLength, keyLength);
                for (int j = 0; j < keyLength; j++)
                    if (visible[j]) { row[j] = T.Exp(logits[j] - max); sum += row[j]; }
                for (int j = 0; j < keyLength; j++)
                {
                    row[j] /= sum;
                    for (int c = 0; c < dHead; c++)
                        concat[i * dModel + h * dHead + c] += row[j] * values[j * layer.KvDim + g * dHead + c];
                }
            }
        }
        return (Project<T>(concat, queryLength, dModel, layer.OutputWeight, layer.OutputBias, dModel), weights);
    }

    /// <summary>y [rows, outDim] = x [rows, inDim]·w [inDim, outDim] + b.</summary>
    public static T[] Project<T>(ReadOnlySpan<float> x, int rows, int inDim, float[] w, float[]? b, int outDim) where T : IFloatingPointIeee754<T>
    {
        var input = new T[x.Length];
        for (int i = 0; i < x.Length; i++) input[i] = T.CreateTruncating(x[i]);
        return Project(input, rows, inDim, w, b, outDim);
    }

    private static T[] Project<T>(T[] x, int rows, int inDim, float[] w, float[]? b, int outDim) where T : IFloatingPointIeee754<T>
    {
        var y = new T[rows * outDim];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outDim; o++)
            {
                T sum = b is null ? T.Zero : T.CreateTruncating(b[o]);
                for (int i = 0; i < inDim; i++) sum += x[r * inDim + i] * T.CreateTruncating(w[i * outDim + o]);
                y[r * outDim + o] = sum;
            }
        return y;
    }

    /// <summary>RoPE on rows [n, heads·d_head], position = row: pair (2p, 2p+1) of every head turned by row·base^(−2p/d_head).</summary>
    public static void Rotate<T>(T[] rows, int length, int heads, int dHead, double ropeBase) where T : IFloatingPointIeee754<T>
    {
        for (int t = 0; t < length; t++)
            for (int p = 0; p < dHead / 2; p++)
            {
                double angle = t * Math.Exp(-2.0 * p / dHead * Math.Log(ropeBase));
                T cos = T.CreateTruncating(Math.Cos(angle)), sin = T.CreateTruncating(Math.Sin(angle));
                for (int h = 0; h < heads; h++)
                {
                    int at = t * heads * dHead + h * dHead + 2 * p;
                    T a = rows[at], b = rows[at + 1];
                    rows[at] = a * cos - b * sin;
                    rows[at + 1] = a * sin + b * cos;
                }
            }
    }

    /// <summary>Assert <paramref name="actualOutput"/> (and the weights, when given) match the double oracle within the derived tolerance.</summary>
    public static void AssertMatches(
        MultiHeadAttention layer, float[] x, int queryLength, float[] context, int keyLength, AttentionOptions? options,
        ReadOnlySpan<float> actualOutput, ReadOnlySpan<float> actualWeights, string what)
    {
        var (output64, weights64) = Forward<double>(layer, x, queryLength, context, keyLength, options);
        var (output32, weights32) = Forward<float>(layer, x, queryLength, context, keyLength, options);
        Tolerance.AssertClose(actualOutput, output64, Tolerance.Derived(Tolerance.MaxAbsError(output32, output64), output64), what + " output");
        if (!actualWeights.IsEmpty)
            Tolerance.AssertClose(actualWeights, weights64, Tolerance.Derived(Tolerance.MaxAbsError(weights32, weights64), weights64), what + " weights");
    }
}
