namespace Attention.OracleTests.Support;

/// <summary>
/// Converts between the library's head-major layout [heads, n, d] and the token-major layout
/// [n, heads·d] that 3-D ONNX attention inputs and projection matrices use.
/// </summary>
public static class HeadLayout
{
    /// <summary>[heads, n, d] → [n, heads·d].</summary>
    public static float[] ToTokenMajor(ReadOnlySpan<float> headMajor, int heads, int length, int dim)
    {
        var tokenMajor = new float[heads * length * dim];
        for (int h = 0; h < heads; h++)
            for (int t = 0; t < length; t++)
                headMajor.Slice((h * length + t) * dim, dim).CopyTo(tokenMajor.AsSpan((t * heads + h) * dim, dim));
        return tokenMajor;
    }

    /// <summary>[n, heads·d] → [heads, n, d].</summary>
    public static float[] ToHeadMajor(ReadOnlySpan<float> tokenMajor, int heads, int length, int dim)
    {
        var headMajor = new float[heads * length * dim];
        for (int h = 0; h < heads; h++)
            for (int t = 0; t < length; t++)
                tokenMajor.Slice((t * heads + h) * dim, dim).CopyTo(headMajor.AsSpan((h * length + t) * dim, dim));
        return headMajor;
    }
}
