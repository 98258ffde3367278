namespace Course.Charts;

/// <summary>
/// A rectangular grid of numbers [rows, columns] handed to a builder: attention weights [n_q, n_k], a mask
/// [n_q, n_k] (true = 1), scores. Converts implicitly from <c>float[,]</c>, <c>double[,]</c>, <c>bool[,]</c>
/// and rectangular jagged arrays; <c>FromSpan(span, rows, columns)</c> reads a row-major span
/// (e.g. one head of the library's weights buffer). The values are copied.
/// </summary>
public sealed class Grid2D
{
    private readonly double[][] _rows; // [rows][columns]

    private Grid2D(double[][] rows, int columns)
    {
        _rows = rows;
        Columns = columns;
    }

    public int Rows => _rows.Length;
    public int Columns { get; }
    public double this[int row, int column] => _rows[row][column];

    /// <summary>"[rows, columns]", for messages.</summary>
    public string ShapeText => $"[{Rows}, {Columns}]";

    /// <summary>A fresh copy of the values as plotly's z layout: [rows][columns].</summary>
    public double[][] ToRows() => _rows.Select(row => (double[])row.Clone()).ToArray();

    public static Grid2D FromSpan(ReadOnlySpan<float> values, int rows, int columns, string argumentName = "values")
    {
        CheckSpan(values.Length, rows, columns, argumentName);
        var copy = values.ToArray(); // [rows * columns]
        return Build(rows, columns, (r, c) => copy[r * columns + c]);
    }

    public static Grid2D FromSpan(ReadOnlySpan<double> values, int rows, int columns, string argumentName = "values")
    {
        CheckSpan(values.Length, rows, columns, argumentName);
        var copy = values.ToArray(); // [rows * columns]
        return Build(rows, columns, (r, c) => copy[r * columns + c]);
    }

    /// <summary>true = 1, false = 0.</summary>
    public static Grid2D FromSpan(ReadOnlySpan<bool> values, int rows, int columns, string argumentName = "values")
    {
        CheckSpan(values.Length, rows, columns, argumentName);
        var copy = values.ToArray(); // [rows * columns]
        return Build(rows, columns, (r, c) => copy[r * columns + c] ? 1 : 0);
    }

    public static implicit operator Grid2D(float[,] values) => Build(values.GetLength(0), values.GetLength(1), (r, c) => values[r, c]);
    public static implicit operator Grid2D(double[,] values) => Build(values.GetLength(0), values.GetLength(1), (r, c) => values[r, c]);
    public static implicit operator Grid2D(bool[,] values) => Build(values.GetLength(0), values.GetLength(1), (r, c) => values[r, c] ? 1 : 0);
    public static implicit operator Grid2D(float[][] rows) => FromJagged(rows.Select(r => r.Select(v => (double)v).ToArray()).ToArray());
    public static implicit operator Grid2D(double[][] rows) => FromJagged(rows.Select(r => (double[])r.Clone()).ToArray());

    private static Grid2D FromJagged(double[][] rows)
    {
        var columns = rows.Length == 0 ? 0 : rows[0].Length;
        for (var r = 0; r < rows.Length; r++)
            if (rows[r].Length != columns)
                throw new ArgumentException($"A grid must be rectangular: row 0 has {columns} values, row {r} has {rows[r].Length}.", nameof(rows));
        return new Grid2D(rows, columns);
    }

    // Every source fills the grid through one loop.
    private delegate double Cell(int row, int column);

    private static Grid2D Build(int rows, int columns, Cell cell)
    {
        var data = new double[rows][];
        for (var r = 0; r < rows; r++)
        {
            data[r] = new double[columns];
            for (var c = 0; c < columns; c++) data[r][c] = cell(r, c);
        }
        return new Grid2D(data, columns);
    }

    private static void CheckSpan(int length, int rows, int columns, string argumentName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (length != (long)rows * columns)
            throw new ArgumentException($"{argumentName} has {length} values but a [{rows}, {columns}] grid needs {(long)rows * columns}.", argumentName);
    }
}
