using System.Buffers;

namespace Attention;

/// <summary>
/// Scratch floats rented from <see cref="ArrayPool{T}.Shared"/> and returned on Dispose: layers keep reusing the
/// same (already touched) memory across calls instead of allocating fresh pages each time.
/// </summary>
internal readonly struct PooledBuffer : IDisposable
{
    private readonly float[] array;
    private readonly int length;

    public PooledBuffer(int length)
    {
        this.length = length;
        array = length == 0 ? [] : ArrayPool<float>.Shared.Rent(length);
    }

    public Span<float> Span => array.AsSpan(0, length);

    public void Dispose()
    {
        if (array.Length != 0) ArrayPool<float>.Shared.Return(array);
    }
}
