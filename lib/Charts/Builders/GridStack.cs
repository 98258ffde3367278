namespace Course.Charts;

/// <summary>
/// Several grids of the same shape, e.g. the weights of every head [heads, n_q, n_k]. Converts implicitly from
/// <c>float[,,]</c> and <c>double[,,]</c>; <see cref="FromSpan"/> reads the library's row-major weights buffer.
/// </summary>
public sealed class GridStack
{
    private readonly Grid2D[] _grids;

    private GridStack(Grid2D[] grids, int rows, int columns)
    {
        _grids = grids;
        Rows = rows;
        Columns = columns;
    }

    public int Count => _grids.Length;
    public int Rows { get; }
    public int Columns { get; }
    public Grid2D this[int index] => _grids[index];

    /// <summary>"[count, rows, columns]", for messages.</summary>
    public string ShapeText => $"[{Count}, {Rows}, {Columns}]";

    /// <summary>Smallest and largest finite value over every grid (null when there is none).</summary>
    public (double Min, double Max)? FiniteRange()
    {
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        foreach (var grid in _grids)
            for (var r = 0; r < grid.Rows; r++)
                for (var c = 0; c < grid.Columns; c++)
                {
                    var v = grid[r, c];
                    if (!double.IsFinite(v)) continue;
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }
        return min <= max ? (min, max) : null;
    }

    /// <summary><paramref name="values"/> laid out [count, rows, columns], row-major.</summary>
    public static GridStack FromSpan(ReadOnlySpan<float> values, int count, int rows, int columns, string argumentName = "values")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        var size = (long)rows * columns;
        if (values.Length != count * size)
            throw new ArgumentException($"{argumentName} has {values.Length} values but [{count}, {rows}, {columns}] needs {count * size}.", argumentName);
        var grids = new Grid2D[count];
        for (var i = 0; i < count; i++)
            grids[i] = Grid2D.FromSpan(values.Slice((int)(i * size), (int)size), rows, columns, argumentName);
        return new GridStack(grids, rows, columns);
    }

    /// <summary>Grids that must all share one shape.</summary>
    public static GridStack Of(IReadOnlyList<Grid2D> grids)
    {
        if (grids.Count == 0) return new GridStack([], 0, 0);
        var (rows, columns) = (grids[0].Rows, grids[0].Columns);
        for (var i = 1; i < grids.Count; i++)
            if (grids[i].Rows != rows || grids[i].Columns != columns)
                throw new ArgumentException($"All grids must share one shape: grid 0 is {grids[0].ShapeText}, grid {i} is {grids[i].ShapeText}.", nameof(grids));
        return new GridStack([.. grids], rows, columns);
    }

    public static implicit operator GridStack(float[,,] values) => FromCube(values.GetLength(0), values.GetLength(1), values.GetLength(2), (i, r, c) => values[i, r, c]);
    public static implicit operator GridStack(double[,,] values) => FromCube(values.GetLength(0), values.GetLength(1), values.GetLength(2), (i, r, c) => values[i, r, c]);

    private static GridStack FromCube(int count, int rows, int columns, Func<int, int, int, double> cell)
    {
        var grids = new Grid2D[count];
        for (var i = 0; i < count; i++)
        {
            var slice = new double[rows, columns];
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < columns; c++) slice[r, c] = cell(i, r, c);
            grids[i] = slice;
        }
        return new GridStack(grids, rows, columns);
    }
}
