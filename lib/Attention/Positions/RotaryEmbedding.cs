namespace Attention;

/// <summary>
/// Rotary position embedding (RoPE, Su et al. 2021): the dimensions of each query and key vector are taken in
/// adjacent pairs (2i, 2i+1), and pair i at position p is rotated by the angle p·θ_i, θ_i = base^(−2i/d_head).
/// A rotation keeps vector lengths, and q rotated by m dotted with k rotated by n depends only on m − n:
/// attention scores then see relative positions. Angles are computed in float64 so that large positions keep
/// their precision; the rotated values are stored in float32.
/// </summary>
public sealed class RotaryEmbedding
{
    private readonly double[] inverseFrequencies;   // θ_i  [d_head / 2]

    /// <summary>RoPE for vectors of width <paramref name="headDim"/> (even) with frequency base <paramref name="base"/>.</summary>
    /// <exception cref="ArgumentException">headDim is not positive and even, or base is not a finite number above 1.</exception>
    public RotaryEmbedding(int headDim, double @base = 10000)
    {
        if (headDim <= 0 || headDim % 2 != 0)
            throw new ArgumentException($"headDim must be positive and even, since RoPE rotates pairs of dimensions (headDim={headDim}).", nameof(headDim));
        if (!(@base > 1) || double.IsInfinity(@base))
            throw new ArgumentOutOfRangeException(nameof(@base), @base, $"base must be a finite number above 1 (headDim={headDim}).");
        HeadDim = headDim;
        Base = @base;
        inverseFrequencies = new double[headDim / 2];
        for (int i = 0; i < inverseFrequencies.Length; i++)
            inverseFrequencies[i] = Math.Pow(@base, -2.0 * i / headDim);
    }

    /// <summary>Width of the vectors this embedding rotates.</summary>
    public int HeadDim { get; }

    /// <summary>Frequency base (10000 in the paper).</summary>
    public double Base { get; }

    /// <summary>θ_i = base^(−2i/d_head), the angle per position of pair i.</summary>
    public double Frequency(int pair) => inverseFrequencies[pair];

    /// <summary>
    /// Rotate x [heads, length, headDim] in place: row t of every head is rotated for position
    /// <paramref name="positionOffset"/> + t (use the number of cached tokens as the offset when decoding).
    /// </summary>
    /// <exception cref="ArgumentException">The span's length is not heads·length·headDim, or a size or the offset is negative.</exception>
    public void Apply(Span<float> x, int heads, int length, int positionOffset = 0)
    {
        string shapes = $"x [{heads}, {length}, {HeadDim}], positionOffset={positionOffset}";
        if (heads <= 0) throw new ArgumentOutOfRangeException(nameof(heads), heads, $"heads must be positive ({shapes}).");
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, $"length cannot be negative ({shapes}).");
        if (positionOffset < 0) throw new ArgumentOutOfRangeException(nameof(positionOffset), positionOffset, $"positionOffset cannot be negative ({shapes}).");
        if (x.Length != (long)heads * length * HeadDim)
            throw new ArgumentException($"x has {x.Length} elements, expected heads·length·headDim = {(long)heads * length * HeadDim} ({shapes}).", nameof(x));

        int pairs = HeadDim / 2;
        Span<float> cos = pairs <= 256 ? stackalloc float[pairs] : new float[pairs];   // [d_head / 2]
        Span<float> sin = pairs <= 256 ? stackalloc float[pairs] : new float[pairs];
        for (int t = 0; t < length; t++)
        {
            // The angles of one position serve every head.
            long position = (long)positionOffset + t;
            for (int i = 0; i < pairs; i++)
            {
                (double s, double c) = Math.SinCos(position * inverseFrequencies[i]);
                cos[i] = (float)c;
                sin[i] = (float)s;
            }
            for (int h = 0; h < heads; h++)
                RotateRow(x.Slice((h * length + t) * HeadDim, HeadDim), cos, sin);
        }
    }

    // (a, b) → (a·cos − b·sin, a·sin + b·cos) for each pair.
    private static void RotateRow(Span<float> row, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin)
    {
        for (int i = 0; i < cos.Length; i++)
        {
            float a = row[2 * i], b = row[2 * i + 1];
            row[2 * i] = a * cos[i] - b * sin[i];
            row[2 * i + 1] = a * sin[i] + b * cos[i];
        }
    }
}
