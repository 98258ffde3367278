using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises.Framework;

/// <summary>
/// A row-major float64 tensor whose every element carries an error bound: for a reference value, how far a correct
/// float32 computation of the same formula may land from it; for an observed (learner) value, zero.
/// Rank 0 is a scalar, rank 1 a vector [n], rank 2 a matrix [rows, cols], rank 3 a stack of matrices [k, rows, cols].
/// </summary>
internal sealed class Tensor
{
    public Tensor(int[] shape, double[] values, double[]? errors = null)
    {
        int count = 1;
        foreach (int size in shape) count *= size;
        if (values.Length != count)
            throw new ArgumentException($"values has {values.Length} elements, shape [{string.Join(", ", shape)}] needs {count}.", nameof(values));
        if (errors is not null && errors.Length != count)
            throw new ArgumentException($"errors has {errors.Length} elements, shape [{string.Join(", ", shape)}] needs {count}.", nameof(errors));
        Shape = shape;
        Values = values;
        Errors = errors ?? new double[count];
    }

    public int[] Shape { get; }
    public double[] Values { get; }
    public double[] Errors { get; }
    public int Rank => Shape.Length;
    public int Count => Values.Length;

    /// <summary>Rows of a matrix (rank 2).</summary>
    public int Rows => Rank == 2 ? Shape[0] : throw new InvalidOperationException($"Rows of a rank-{Rank} tensor.");

    /// <summary>Columns of a matrix (rank 2).</summary>
    public int Cols => Rank == 2 ? Shape[1] : throw new InvalidOperationException($"Cols of a rank-{Rank} tensor.");

    public double this[int row, int col] => Values[row * Cols + col];
    public double Error(int row, int col) => Errors[row * Cols + col];

    public static Tensor Zeros(params int[] shape) => new(shape, new double[shape.Aggregate(1, (a, b) => a * b)]);

    public static Tensor Scalar(double value, double error = 0) => new([], [value], [error]);

    /// <summary>Exact float32 input values as a matrix [rows, cols].</summary>
    public static Tensor From(Matrix<float> m)
    {
        var values = new double[m.RowCount * m.ColumnCount];
        for (int r = 0; r < m.RowCount; r++)
            for (int c = 0; c < m.ColumnCount; c++)
                values[r * m.ColumnCount + c] = m[r, c];
        return new Tensor([m.RowCount, m.ColumnCount], values);
    }

    /// <summary>Exact float32 input values as a vector [n].</summary>
    public static Tensor From(float[] v) => new([v.Length], Array.ConvertAll(v, x => (double)x));

    /// <summary>The same elements viewed with another shape (a copy of the arrays' references, not of the data).</summary>
    public Tensor Reshape(params int[] shape) => new(shape, Values, Errors);

    /// <summary>Exact values, no error: results that a correct program reproduces bit for bit (copies, masks, maxima).</summary>
    public static Tensor Exact(int[] shape, double[] values) => new(shape, values);

    public override string ToString() => $"Tensor[{string.Join(", ", Shape)}]";
}
