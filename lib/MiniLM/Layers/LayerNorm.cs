namespace Attention.MiniLM;

/// <summary>
/// Layer normalisation of each row: y = (x − mean) / √(variance + ε) · γ + β, the mean and (biased) variance taken
/// over the row's features. BERT applies it after every residual sum ("post-LN").
/// </summary>
public static class LayerNorm
{
    /// <summary>
    /// Normalise <paramref name="rows"/> rows of <paramref name="x"/> [rows, d] into <paramref name="y"/> [rows, d]
    /// (y may be x: the operation works in place). Mean and variance are accumulated in float64.
    /// </summary>
    /// <exception cref="ArgumentException">A span's length does not match rows·d or d (the message names it and the shapes).</exception>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, LayerNormWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        int d = weights.Scale.Length;
        string shapes = $"x [{rows}, {d}], y [{rows}, {d}], γ [{weights.Scale.Length}], β [{weights.Bias.Length}]";
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, $"rows cannot be negative ({shapes}).");
        if (weights.Bias.Length != d) throw new ArgumentException($"β has {weights.Bias.Length} elements, γ has {d} ({shapes}).", nameof(weights));
        if (x.Length != (long)rows * d) throw new ArgumentException($"x has {x.Length} elements, expected rows·d = {(long)rows * d} ({shapes}).", nameof(x));
        if (y.Length != x.Length) throw new ArgumentException($"y has {y.Length} elements, expected {x.Length} ({shapes}).", nameof(y));

        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * d, d);   // [d]
            var output = y.Slice(r * d, d); // [d]
            double mean = 0;
            foreach (float v in row) mean += v;
            mean /= d;
            double variance = 0;
            foreach (float v in row) variance += (v - mean) * (v - mean);
            variance /= d;
            double inverseStd = 1 / Math.Sqrt(variance + weights.Epsilon);
            for (int i = 0; i < d; i++)
                output[i] = (float)((row[i] - mean) * inverseStd) * weights.Scale[i] + weights.Bias[i];
        }
    }
}
