namespace Attention;

/// <summary>
/// ALiBi, attention with linear biases (Press et al. 2022): no position vectors at all; instead each head h adds
/// −m_h·distance to its scaled logits, so far keys are penalised linearly, more steeply in heads with a large slope m_h.
/// Put the bias in <see cref="AttentionMask.Bias"/>.
/// </summary>
public static class Alibi
{
    /// <summary>
    /// The paper's head slopes. For a power of two n: m_h = 2^(−8(h+1)/n), h = 0 … n−1 (8 heads: 1/2, 1/4, …, 1/256).
    /// Otherwise, with p the largest power of two below n: the p slopes of p heads, then every other slope of 2p
    /// heads (the 1st, 3rd, …) until there are n; this follows the reference implementation's order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">heads is not positive.</exception>
    public static float[] Slopes(int heads)
    {
        if (heads <= 0) throw new ArgumentOutOfRangeException(nameof(heads), heads, "heads must be positive.");
        int powerOfTwo = 1 << (31 - int.LeadingZeroCount(heads));   // largest power of two ≤ heads
        var slopes = new float[heads];
        for (int h = 0; h < powerOfTwo; h++)
            slopes[h] = (float)PowerOfTwoSlope(h, powerOfTwo);
        for (int extra = 0; extra < heads - powerOfTwo; extra++)
            slopes[powerOfTwo + extra] = (float)PowerOfTwoSlope(2 * extra, 2 * powerOfTwo);
        return slopes;
    }

    // Slope of head h among n (a power of two): (2^(−8/n))^(h+1).
    private static double PowerOfTwoSlope(int h, int n) => Math.Pow(2, -8.0 * (h + 1) / n);

    /// <summary>
    /// A new bias array [heads, queryLength, keyLength]: bias[h, i, j] = −m_h·|(i + offset) − j|, where query i sits at
    /// key position i + offset. <paramref name="causalOffset"/> null means keyLength − queryLength, as in
    /// <see cref="AttentionMask.CausalOffset"/>. Combined with causal masking this is the paper's m_h·(j − i); without it,
    /// keys after the query are penalised by their distance the same way (the symmetric form used by encoders).
    /// </summary>
    public static float[] Bias(int heads, int queryLength, int keyLength, int? causalOffset = null)
    {
        if (queryLength < 0) throw new ArgumentOutOfRangeException(nameof(queryLength), queryLength, $"queryLength cannot be negative (bias [{heads}, {queryLength}, {keyLength}]).");
        if (keyLength < 0) throw new ArgumentOutOfRangeException(nameof(keyLength), keyLength, $"keyLength cannot be negative (bias [{heads}, {queryLength}, {keyLength}]).");
        var bias = new float[Math.Max(0, heads) * queryLength * keyLength];
        Bias(bias, heads, queryLength, keyLength, causalOffset);
        return bias;
    }

    /// <summary>Write the bias of <see cref="Bias(int, int, int, int?)"/> into destination [heads, queryLength, keyLength].</summary>
    /// <exception cref="ArgumentException">A size is out of range or destination's length is not heads·queryLength·keyLength.</exception>
    public static void Bias(Span<float> destination, int heads, int queryLength, int keyLength, int? causalOffset = null)
    {
        string shapes = $"destination [{heads}, {queryLength}, {keyLength}]";
        if (heads <= 0) throw new ArgumentOutOfRangeException(nameof(heads), heads, $"heads must be positive ({shapes}).");
        if (queryLength < 0) throw new ArgumentOutOfRangeException(nameof(queryLength), queryLength, $"queryLength cannot be negative ({shapes}).");
        if (keyLength < 0) throw new ArgumentOutOfRangeException(nameof(keyLength), keyLength, $"keyLength cannot be negative ({shapes}).");
        if (destination.Length != (long)heads * queryLength * keyLength)
            throw new ArgumentException($"destination has {destination.Length} elements, expected heads·queryLength·keyLength = {(long)heads * queryLength * keyLength} ({shapes}).", nameof(destination));

        int offset = causalOffset ?? keyLength - queryLength;
        float[] slopes = Slopes(heads);
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < queryLength; i++)
            {
                Span<float> row = destination.Slice((h * queryLength + i) * keyLength, keyLength);   // [n_k]
                for (int j = 0; j < keyLength; j++)
                    row[j] = -slopes[h] * Math.Abs(i + offset - j);
            }
    }

    /// <summary>A causal mask carrying the ALiBi bias: the usual setting of a decoder that uses ALiBi.</summary>
    public static AttentionMask CausalMask(int heads, int queryLength, int keyLength, int? causalOffset = null) => new()
    {
        Causal = true,
        CausalOffset = causalOffset,
        Bias = Bias(heads, queryLength, keyLength, causalOffset),
    };
}
