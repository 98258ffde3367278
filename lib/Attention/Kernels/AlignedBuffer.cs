using System.Runtime.InteropServices;

namespace Attention.Kernels;

/// <summary>
/// Native float memory aligned to 64 bytes (one cache line, one Vector512), grown on demand and kept: the kernels
/// reuse it call after call, so steady-state calls allocate nothing and touch no fresh pages (a first touch of a
/// 4 KB page costs ~11 µs on the course VM). Freed by the finalizer when the owner drops it.
/// </summary>
internal sealed unsafe class AlignedBuffer
{
    private const int Alignment = 64;

    /// <summary>Floats per 64-byte cache line (the alignment): the unit of packed rows and of prefetch requests.</summary>
    public const int LineFloats = Alignment / sizeof(float);

    private float* _pointer;
    private long _capacity;   // floats

    /// <summary>At least <paramref name="floats"/> floats, 64-byte aligned. Growing discards the old contents.</summary>
    public float* Ensure(long floats)
    {
        if (floats > _capacity)
        {
            Free();
            long capacity = Math.Max(floats, 16);
            _pointer = (float*)NativeMemory.AlignedAlloc((nuint)(capacity * sizeof(float)), Alignment);
            _capacity = capacity;
            GC.AddMemoryPressure(capacity * sizeof(float));
        }
        return _pointer;
    }

    /// <summary>Floats currently held.</summary>
    public long Capacity => _capacity;

    private void Free()
    {
        if (_pointer == null) return;
        NativeMemory.AlignedFree(_pointer);
        GC.RemoveMemoryPressure(_capacity * sizeof(float));
        _pointer = null;
        _capacity = 0;
    }

    ~AlignedBuffer() => Free();
}
