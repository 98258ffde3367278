namespace Attention;

/// <summary>Random starting weights for layers.</summary>
public static class WeightInit
{
    /// <summary>
    /// Xavier/Glorot uniform: every weight drawn from U(−a, a) with a = sqrt(6 / (fanIn + fanOut)), which keeps
    /// the variance of activations (forwards) and of gradients (backwards) about the same from layer to layer.
    /// <paramref name="weights"/> is a [fanIn, fanOut] matrix. The same <paramref name="random"/> state gives the same weights.
    /// </summary>
    /// <exception cref="ArgumentException">fanIn·fanOut differs from the span's length, or a fan is not positive.</exception>
    public static void GlorotUniform(Span<float> weights, int fanIn, int fanOut, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (fanIn <= 0) throw new ArgumentOutOfRangeException(nameof(fanIn), fanIn, $"fanIn must be positive (weights [{fanIn}, {fanOut}]).");
        if (fanOut <= 0) throw new ArgumentOutOfRangeException(nameof(fanOut), fanOut, $"fanOut must be positive (weights [{fanIn}, {fanOut}]).");
        if ((long)fanIn * fanOut != weights.Length)
            throw new ArgumentException($"weights has {weights.Length} elements, expected fanIn·fanOut = {(long)fanIn * fanOut} (weights [{fanIn}, {fanOut}]).", nameof(weights));

        double bound = GlorotBound(fanIn, fanOut);
        for (int i = 0; i < weights.Length; i++)
            weights[i] = (float)((2 * random.NextDouble() - 1) * bound);
    }

    /// <summary>The Glorot uniform bound a = sqrt(6 / (fanIn + fanOut)).</summary>
    public static double GlorotBound(int fanIn, int fanOut) => Math.Sqrt(6.0 / (fanIn + fanOut));
}
