namespace Course.Exercises.Framework;

/// <summary>
/// Where head h's columns sit in a [n, heads·d_head] matrix. Contiguous (the course's layout, as in the library's
/// MultiHeadAttention.SplitHeads): head h owns columns h·d_head … (h+1)·d_head − 1. Interleaved (a typical mistake):
/// head h owns columns h, h + heads, h + 2·heads, ….
/// </summary>
internal static class HeadLayout
{
    public static int[] Columns(int head, int heads, int headDim, bool interleaved) =>
        Enumerable.Range(0, headDim).Select(j => interleaved ? head + j * heads : head * headDim + j).ToArray();

    /// <summary>x [n, heads·d_head] → heads matrices [n, d_head] (exact).</summary>
    public static Tensor[] Split(Tensor x, int heads, bool interleaved = false)
    {
        int headDim = x.Cols / heads;
        return Enumerable.Range(0, heads).Select(h => TensorMath.PickColumns(x, Columns(h, heads, headDim, interleaved))).ToArray();
    }

    /// <summary>heads matrices [n, d_head] → [n, heads·d_head] (exact), the inverse of <see cref="Split"/>.</summary>
    public static Tensor Merge(IReadOnlyList<Tensor> parts, bool interleaved = false)
    {
        if (!interleaved) return TensorMath.ConcatColumns(parts);
        int heads = parts.Count, rows = parts[0].Rows, headDim = parts[0].Cols, width = heads * headDim;
        var values = new double[rows * width];
        var errors = new double[rows * width];
        for (int h = 0; h < heads; h++)
        {
            int[] columns = Columns(h, heads, headDim, interleaved);
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < headDim; j++)
                {
                    values[r * width + columns[j]] = parts[h][r, j];
                    errors[r * width + columns[j]] = parts[h].Error(r, j);
                }
        }
        return new Tensor([rows, width], values, errors);
    }
}
