using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Attention.Kernels;

/// <summary>
/// A short row copy, inline: packing copies rows of 16 to 64 floats, thousands per call, and a
/// <see cref="Span{T}.CopyTo"/> call per row (a call into memmove, its checks and its size dispatch) costs about as much
/// as copying the 64 floats.
/// </summary>
internal static unsafe class RowCopy
{
    /// <summary>destination[0 .. count) = source[0 .. count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* source, float* destination, int count)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= count; i += 16) Vector512.Store(Vector512.Load(source + i), destination + i);
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= count; i += 8) Vector256.Store(Vector256.Load(source + i), destination + i);
        for (; i < count; i++) destination[i] = source[i];
    }
}
