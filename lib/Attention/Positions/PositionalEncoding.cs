namespace Attention;

/// <summary>
/// The fixed sinusoidal position encoding of the original transformer (Vaswani et al. 2017), added to the
/// token embeddings so that attention, which otherwise ignores order, can tell positions apart:
/// <code>
/// PE[p, 2i]   = sin(p / base^(2i/d))
/// PE[p, 2i+1] = cos(p / base^(2i/d))
/// </code>
/// With an odd d the last column d−1 = 2i is a sine whose cosine partner would fall outside the matrix, so it
/// is kept alone. Values are computed in float64 and stored in float32.
/// </summary>
public static class PositionalEncoding
{
    /// <summary>The encoding of positions 0 … length−1 as a new row-major array [length, dim].</summary>
    /// <exception cref="ArgumentException">length is negative, dim is not positive, or base is not above 1.</exception>
    public static float[] Sinusoidal(int length, int dim, double @base = 10000)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, $"length cannot be negative (encoding [{length}, {dim}]).");
        var encoding = new float[length * Math.Max(dim, 0)];   // a non-positive dim is reported below
        Sinusoidal(encoding, length, dim, 0, @base);
        return encoding;
    }

    /// <summary>
    /// Write the encoding of positions positionOffset … positionOffset+length−1 into destination [length, dim].
    /// </summary>
    /// <exception cref="ArgumentException">A size or the offset is out of range, or destination's length is not length·dim.</exception>
    public static void Sinusoidal(Span<float> destination, int length, int dim, int positionOffset = 0, double @base = 10000)
    {
        string shapes = $"destination [{length}, {dim}], positionOffset={positionOffset}";
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, $"length cannot be negative ({shapes}).");
        if (dim <= 0) throw new ArgumentOutOfRangeException(nameof(dim), dim, $"dim must be positive ({shapes}).");
        if (positionOffset < 0) throw new ArgumentOutOfRangeException(nameof(positionOffset), positionOffset, $"positionOffset cannot be negative ({shapes}).");
        if (!(@base > 1) || double.IsInfinity(@base)) throw new ArgumentOutOfRangeException(nameof(@base), @base, $"base must be a finite number above 1 ({shapes}).");
        if (destination.Length != (long)length * dim)
            throw new ArgumentException($"destination has {destination.Length} elements, expected length·dim = {(long)length * dim} ({shapes}).", nameof(destination));

        for (int t = 0; t < length; t++)
        {
            double position = (double)positionOffset + t;
            Span<float> row = destination.Slice(t * dim, dim);   // [dim]
            for (int column = 0; column < dim; column += 2)
            {
                // Columns 2i and 2i+1 share the wavelength base^(2i/d).
                (double s, double c) = Math.SinCos(position * Math.Pow(@base, -(double)column / dim));
                row[column] = (float)s;
                if (column + 1 < dim) row[column + 1] = (float)c;
            }
        }
    }
}
