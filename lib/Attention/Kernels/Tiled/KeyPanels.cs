using System.Runtime.CompilerServices;
using Attention.Kernels.Simd;

namespace Attention.Kernels.Tiled;

/// <summary>
/// K packed for the score tile: per key/value head, panels of <see cref="TileShape.PanelKeys{TW, TVec}"/> keys, each
/// stored transposed [d_k, panelKeys] in one contiguous run, so a step of the tile's d_k loop reads one panel row of
/// consecutive floats. Layout [kvHeads, panels, d_k, panelKeys]; keys past n_k are zero. The memory is the calling
/// thread's <see cref="AlignedBuffer"/>, reused call after call (so concurrent calls from different threads never share it).
/// </summary>
internal static unsafe class KeyPanels
{
    [ThreadStatic] private static AlignedBuffer? t_buffer;

    /// <summary>This thread's buffer for packed keys.</summary>
    public static AlignedBuffer ForThisThread() => t_buffer ??= new AlignedBuffer();

    /// <summary>Panels per key/value head.</summary>
    public static int PanelsPerHead<TW, TVec>(int keyLength) where TW : IVectorWidth<TVec> where TVec : struct =>
        (keyLength + TileShape.PanelKeys<TW, TVec>() - 1) / TileShape.PanelKeys<TW, TVec>();

    /// <summary>Pack k [kvHeads, n_k, d_k] into <paramref name="buffer"/>; returns the first panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float* Pack<TW, TVec>(float* k, in AttentionShape shape, AlignedBuffer buffer) where TW : IVectorWidth<TVec> where TVec : struct
    {
        int panelKeys = TileShape.PanelKeys<TW, TVec>();
        int nK = shape.KeyLength, dK = shape.HeadDim;
        int panels = PanelsPerHead<TW, TVec>(nK);
        float* packed = buffer.Ensure((long)shape.KvHeads * panels * dK * panelKeys);
        for (int g = 0; g < shape.KvHeads; g++)
            for (int p = 0; p < panels; p++)
            {
                float* panel = packed + ((long)g * panels + p) * dK * panelKeys;     // [d_k, panelKeys]
                int first = p * panelKeys, keys = Math.Min(panelKeys, nK - first);
                for (int j = 0; j < keys; j++)
                {
                    float* key = k + ((long)g * nK + first + j) * dK;                 // k[g, first + j, :]  [d_k]
                    for (int d = 0; d < dK; d++) panel[d * panelKeys + j] = key[d];
                }
                for (int d = 0; keys < panelKeys && d < dK; d++)
                    new Span<float>(panel + d * panelKeys + keys, panelKeys - keys).Clear();
            }
        return packed;
    }
}
