using MathNet.Numerics.LinearAlgebra;

namespace Attention;

public static partial class Attend
{
    /// <summary>
    /// The elements of <paramref name="matrix"/> [rows, cols] in row-major order, the layout of every span in this
    /// library: element (r, c) lands at r·cols + c. (MathNet stores its dense matrices column by column, so this is a copy.)
    /// </summary>
    /// <exception cref="ArgumentNullException">matrix is null.</exception>
    public static float[] ToRowMajor(Matrix<float> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return matrix.ToRowMajorArray();
    }

    /// <summary>A new MathNet matrix [rows, cols] from row-major <paramref name="data"/> (element (r, c) at r·cols + c).</summary>
    /// <exception cref="ArgumentException">data is null, a size is not positive, or data does not have rows·cols elements.</exception>
    public static Matrix<float> FromRowMajor(float[] data, int rows, int cols)
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromRowMajor(data.AsSpan(), rows, cols);
    }

    /// <summary>A new MathNet matrix [rows, cols] from row-major <paramref name="data"/> (element (r, c) at r·cols + c).</summary>
    /// <exception cref="ArgumentException">A size is not positive, or data does not have rows·cols elements.</exception>
    public static Matrix<float> FromRowMajor(ReadOnlySpan<float> data, int rows, int cols)
    {
        if (rows <= 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, $"rows must be positive (matrix [{rows}, {cols}]).");
        if (cols <= 0) throw new ArgumentOutOfRangeException(nameof(cols), cols, $"cols must be positive (matrix [{rows}, {cols}]).");
        if (data.Length != (long)rows * cols)
            throw new ArgumentException($"data has {data.Length} elements, expected rows·cols = {(long)rows * cols} (matrix [{rows}, {cols}]).", nameof(data));
        var columnMajor = new float[rows * cols];   // MathNet's own layout: element (r, c) at c·rows + r
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                columnMajor[c * rows + r] = data[r * cols + c];
        return Matrix<float>.Build.Dense(rows, cols, columnMajor);
    }
}
