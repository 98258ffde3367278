namespace Attention;

public sealed partial class MultiHeadAttention
{
    /// <summary>
    /// Split the columns of rows [length, headCount·headDim] into heads [headCount, length, headDim]:
    /// head h holds columns h·headDim … (h+1)·headDim − 1 of every row. <see cref="MergeHeads(ReadOnlySpan{float}, Span{float}, int, int, int)"/> undoes it.
    /// </summary>
    /// <exception cref="ArgumentException">A size is not positive (length may be 0), or a span's length does not match.</exception>
    public static void SplitHeads(ReadOnlySpan<float> rows, Span<float> heads, int length, int headCount, int headDim)
    {
        ValidateHeadLayout(rows.Length, heads.Length, length, headCount, headDim);
        for (int h = 0; h < headCount; h++)
            for (int t = 0; t < length; t++)
                rows.Slice((t * headCount + h) * headDim, headDim)              // rows[t, h·d_head ..]  [d_head]
                    .CopyTo(heads.Slice((h * length + t) * headDim, headDim));   // heads[h, t, :]
    }

    /// <summary>
    /// Concatenate heads [headCount, length, headDim] back into rows [length, headCount·headDim]:
    /// the inverse of <see cref="SplitHeads(ReadOnlySpan{float}, Span{float}, int, int, int)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A size is not positive (length may be 0), or a span's length does not match.</exception>
    public static void MergeHeads(ReadOnlySpan<float> heads, Span<float> rows, int length, int headCount, int headDim)
    {
        ValidateHeadLayout(rows.Length, heads.Length, length, headCount, headDim);
        for (int h = 0; h < headCount; h++)
            for (int t = 0; t < length; t++)
                heads.Slice((h * length + t) * headDim, headDim)                // heads[h, t, :]  [d_head]
                    .CopyTo(rows.Slice((t * headCount + h) * headDim, headDim)); // rows[t, h·d_head ..]
    }

    private static void ValidateHeadLayout(int rowsLength, int headsLength, int length, int headCount, int headDim)
    {
        // The message is built only when a check fails: a valid call allocates nothing.
        string Shapes() => $"rows [{length}, {headCount}·{headDim}] ↔ heads [{headCount}, {length}, {headDim}]";
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, $"length cannot be negative ({Shapes()}).");
        if (headCount <= 0) throw new ArgumentOutOfRangeException(nameof(headCount), headCount, $"headCount must be positive ({Shapes()}).");
        if (headDim <= 0) throw new ArgumentOutOfRangeException(nameof(headDim), headDim, $"headDim must be positive ({Shapes()}).");
        long expected = (long)length * headCount * headDim;
        if (rowsLength != expected)
            throw new ArgumentException($"rows has {rowsLength} elements, expected {expected} ({Shapes()}).", "rows");
        if (headsLength != expected)
            throw new ArgumentException($"heads has {headsLength} elements, expected {expected} ({Shapes()}).", "heads");
    }
}
