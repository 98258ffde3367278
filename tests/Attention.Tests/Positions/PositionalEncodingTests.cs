namespace Attention.Tests.Positions;

public class PositionalEncodingTests
{
    private const double HalfUlp = 1.0 / (1 << 24);   // rounding a double to float32 moves it by at most 2^-24 of itself

    // The formula, written independently: the wavelength of columns 2i and 2i+1 is base^(2i/d) = exp(2i/d · ln base).
    private static double Expected(int position, int column, int dim, double @base = 10000)
    {
        int pair = column / 2;
        double angle = position / Math.Exp(2.0 * pair / dim * Math.Log(@base));
        return column % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle);
    }

    [Theory]
    [InlineData(50, 16)]
    [InlineData(7, 5)]    // odd width: the last column is a sine without its cosine
    [InlineData(3, 1)]
    public void Values_follow_the_formula(int length, int dim)
    {
        float[] encoding = PositionalEncoding.Sinusoidal(length, dim);
        Assert.Equal(length * dim, encoding.Length);
        for (int p = 0; p < length; p++)
            for (int c = 0; c < dim; c++)
            {
                double expected = Expected(p, c, dim);
                // float32 rounding of the value, plus the two float64 ways of computing an angle of at most `length` radians
                // (pow vs exp·ln, a few double ulps ≈ 1e-15 relative) moving sin and cos by at most that much.
                double tolerance = HalfUlp * Math.Abs(expected) + 1e-14 * length;
                Assert.True(Math.Abs(encoding[p * dim + c] - expected) <= tolerance, $"PE[{p}, {c}] = {encoding[p * dim + c]:R}, expected {expected:R}");
            }
    }

    [Theory]
    [InlineData(100.0, 0)]
    [InlineData(3.5, 5)]      // a small base, and rows written at an offset
    public void Another_base_sets_the_wavelengths(double @base, int positionOffset)
    {
        const int length = 6, dim = 7;
        var encoding = new float[length * dim];
        PositionalEncoding.Sinusoidal(encoding, length, dim, positionOffset, @base);
        for (int t = 0; t < length; t++)
            for (int c = 0; c < dim; c++)
            {
                int p = positionOffset + t;
                double expected = Expected(p, c, dim, @base);
                // As above: float32 rounding of the value, plus a few double ulps of an angle of at most p radians.
                double tolerance = HalfUlp * Math.Abs(expected) + 1e-14 * (p + 1);
                Assert.True(Math.Abs(encoding[t * dim + c] - expected) <= tolerance,
                    $"base {@base}: PE[{p}, {c}] = {encoding[t * dim + c]:R}, expected {expected:R}");
            }
        Assert.Equal(encoding, PositionalEncoding.Sinusoidal(positionOffset + length, dim, @base)[(positionOffset * dim)..]);
    }

    [Fact]
    public void Known_values()
    {
        float[] pe = PositionalEncoding.Sinusoidal(2, 4);
        Assert.Equal([0f, 1f, 0f, 1f], pe[..4]);                        // position 0: sin 0 = 0, cos 0 = 1
        Assert.Equal((float)Math.Sin(1), pe[4]);                         // position 1, column 0: sin(1 / 10000^0)
        Assert.Equal((float)Math.Cos(1), pe[5]);
        Assert.Equal((float)Math.Sin(0.01), pe[6]);                      // column 2: sin(1 / 10000^(2/4)) = sin(1/100)
        Assert.Equal((float)Math.Cos(0.01), pe[7]);
        float[] odd = PositionalEncoding.Sinusoidal(2, 3);
        Assert.Equal((float)Math.Sin(1 / Math.Pow(10000, 2.0 / 3)), odd[5]);   // the lone sine column of an odd width
    }

    [Fact]
    public void Offset_writes_the_later_rows_of_a_longer_encoding()
    {
        float[] longer = PositionalEncoding.Sinusoidal(12, 6);
        var tail = new float[4 * 6];
        PositionalEncoding.Sinusoidal(tail, 4, 6, positionOffset: 8);
        Assert.Equal(longer[(8 * 6)..], tail);
    }

    [Fact]
    public void Bad_sizes_are_named()
    {
        Assert.Equal("dim", Assert.ThrowsAny<ArgumentException>(() => PositionalEncoding.Sinusoidal(3, 0)).ParamName);
        Assert.Equal("length", Assert.ThrowsAny<ArgumentException>(() => PositionalEncoding.Sinusoidal(-1, 4)).ParamName);
        var error = Assert.ThrowsAny<ArgumentException>(() => PositionalEncoding.Sinusoidal(new float[7], 2, 4));
        Assert.Equal("destination", error.ParamName);
        Assert.Contains("[2, 4]", error.Message);
        Assert.Empty(PositionalEncoding.Sinusoidal(0, 4));
    }
}
