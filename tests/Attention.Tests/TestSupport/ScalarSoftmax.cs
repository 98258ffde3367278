namespace Attention.Tests.TestSupport;

/// <summary>
/// Softmax written as plain loops, in float32 (the scalar baseline whose error sets the vectorised softmax's
/// tolerance) and in float64 (the truth). Same defined rows as <see cref="Attention.Softmax"/>: -inf → 0,
/// all -inf → zeros, NaN or +inf present → NaN except at -inf entries.
/// </summary>
public static class ScalarSoftmax
{
    public static float[] Float32(ReadOnlySpan<float> logits, float temperature = 1f, bool log = false)
    {
        var result = new float[logits.Length];
        float max = float.NegativeInfinity;
        foreach (float x in logits) max = MathF.Max(max, x);
        if (max == float.NegativeInfinity || !float.IsFinite(max))
        {
            for (int j = 0; j < logits.Length; j++)
                result[j] = logits[j] == float.NegativeInfinity || max == float.NegativeInfinity ? (log ? float.NegativeInfinity : 0f) : float.NaN;
            return result;
        }
        float sum = 0f;
        for (int j = 0; j < logits.Length; j++) { result[j] = MathF.Exp((logits[j] - max) / temperature); sum += result[j]; }
        for (int j = 0; j < logits.Length; j++)
            result[j] = log ? (logits[j] - max) / temperature - MathF.Log(sum) : result[j] / sum;
        return result;
    }

    public static double[] Float64(ReadOnlySpan<float> logits, double temperature = 1, bool log = false)
    {
        var scaled = new double[logits.Length];
        var keep = new bool[logits.Length];
        for (int j = 0; j < logits.Length; j++) { scaled[j] = logits[j] / temperature; keep[j] = logits[j] != float.NegativeInfinity; }
        var probs = new double[logits.Length];
        Float64Attention.Softmax64(scaled, keep, probs);
        if (log) for (int j = 0; j < probs.Length; j++) probs[j] = Math.Log(probs[j]);
        return probs;
    }
}
