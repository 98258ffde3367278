namespace Attention.Kernels;

/// <summary>
/// Keys transposed per key/value head: kT [kvHeads, d_k, Stride], Stride = n_k rounded up to <see cref="StrideMultiple"/>,
/// the extra columns zero. With keys along the fast axis, one row of scores q·Kᵀ is a sum over d of
/// q[d] · kT[d, :], each term a vector operation across keys. The memory is the calling thread's, kept across
/// calls (so a warm call allocates nothing); one TransposedKeys per thread at a time.
/// </summary>
internal readonly unsafe struct TransposedKeys : IDisposable
{
    [ThreadStatic] private static AlignedBuffer? t_buffer;

    /// <summary>Stride rounding: 64 floats, so every row of kT starts on a cache line of the 64-byte aligned buffer.</summary>
    public const int StrideMultiple = 64;

    private readonly float* _buffer;
    private readonly long _length;
    public int Stride { get; }
    public int HeadDim { get; }

    public TransposedKeys(ReadOnlySpan<float> k, in AttentionShape shape)
    {
        int nK = shape.KeyLength, dK = shape.HeadDim;
        Stride = (nK + StrideMultiple - 1) / StrideMultiple * StrideMultiple;
        HeadDim = dK;
        _length = Math.Max((long)shape.KvHeads * dK * Stride, 1);
        _buffer = (t_buffer ??= new AlignedBuffer()).Ensure(_length);
        for (int g = 0; g < shape.KvHeads; g++)
        {
            var kHead = k.Slice(g * nK * dK, nK * dK);                       // [n_k, d_k]
            var kT = new Span<float>(_buffer + (long)g * dK * Stride, dK * Stride);   // [d_k, Stride]
            for (int j = 0; j < nK; j++)
                for (int d = 0; d < dK; d++)
                    kT[d * Stride + j] = kHead[j * dK + d];
            for (int d = 0; d < dK; d++) kT.Slice(d * Stride + nK, Stride - nK).Clear();
        }
    }

    /// <summary>kT of one key/value head, [d_k, Stride].</summary>
    public ReadOnlySpan<float> Head(int kvHead) => new(_buffer + (long)kvHead * HeadDim * Stride, HeadDim * Stride);

    /// <summary>Nothing to return: the memory stays with the thread for its next call.</summary>
    public void Dispose() { }
}
