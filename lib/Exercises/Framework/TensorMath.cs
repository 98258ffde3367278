namespace Course.Exercises.Framework;

/// <summary>
/// Float64 linear algebra on <see cref="Tensor"/> that also propagates the float32 error bound (first order):
/// each result's error = the inputs' errors carried through + the rounding of this operation.
/// </summary>
internal static class TensorMath
{
    /// <summary>A [m, n] · B [n, p] → [m, p]; rounding bound γ(n+2)·Σ|a·b| covers any summation order, FMA and one extra scaling.</summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        if (a.Rank != 2 || b.Rank != 2 || a.Cols != b.Rows)
            throw new ArgumentException($"MatMul of [{string.Join(", ", a.Shape)}] and [{string.Join(", ", b.Shape)}].");
        int m = a.Rows, n = a.Cols, p = b.Cols;
        double gamma = Float32.Gamma(n + 2);
        var values = new double[m * p];
        var errors = new double[m * p];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < p; j++)
            {
                double sum = 0, magnitude = 0, carried = 0;
                for (int t = 0; t < n; t++)
                {
                    double x = a[i, t], y = b[t, j], ex = a.Error(i, t), ey = b.Error(t, j);
                    sum += x * y;
                    magnitude += Math.Abs(x * y);
                    carried += ex * Math.Abs(y) + Math.Abs(x) * ey + ex * ey;
                }
                values[i * p + j] = sum;
                errors[i * p + j] = carried + gamma * magnitude;
            }
        return new Tensor([m, p], values, errors);
    }

    /// <summary>Aᵀ: exact.</summary>
    public static Tensor Transpose(Tensor a)
    {
        int rows = a.Rows, cols = a.Cols;
        var values = new double[a.Count];
        var errors = new double[a.Count];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                values[c * rows + r] = a.Values[r * cols + c];
                errors[c * rows + r] = a.Errors[r * cols + c];
            }
        return new Tensor([cols, rows], values, errors);
    }

    /// <summary>
    /// c·A for a constant the learner computes in float32 (1/√d_k, 1/T): the constant's own rounding (up to 2u for
    /// 1/sqrt) and the product's rounding add 3u·|c·a|.
    /// </summary>
    public static Tensor Scale(Tensor a, double c)
    {
        var values = new double[a.Count];
        var errors = new double[a.Count];
        for (int i = 0; i < a.Count; i++)
        {
            values[i] = c * a.Values[i];
            errors[i] = Math.Abs(c) * a.Errors[i] + 3 * Float32.U * Math.Abs(values[i]);
        }
        return new Tensor(a.Shape, values, errors);
    }

    /// <summary>The columns given by <paramref name="columns"/>, in that order: exact.</summary>
    public static Tensor PickColumns(Tensor a, IReadOnlyList<int> columns)
    {
        var values = new double[a.Rows * columns.Count];
        var errors = new double[a.Rows * columns.Count];
        for (int r = 0; r < a.Rows; r++)
            for (int c = 0; c < columns.Count; c++)
            {
                values[r * columns.Count + c] = a[r, columns[c]];
                errors[r * columns.Count + c] = a.Error(r, columns[c]);
            }
        return new Tensor([a.Rows, columns.Count], values, errors);
    }

    /// <summary>Matrices with equal row counts side by side: [rows, Σ cols]. Exact.</summary>
    public static Tensor ConcatColumns(IReadOnlyList<Tensor> parts)
    {
        int rows = parts[0].Rows, cols = parts.Sum(p => p.Cols);
        var values = new double[rows * cols];
        var errors = new double[rows * cols];
        int offset = 0;
        foreach (var part in parts)
        {
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < part.Cols; c++)
                {
                    values[r * cols + offset + c] = part[r, c];
                    errors[r * cols + offset + c] = part.Error(r, c);
                }
            offset += part.Cols;
        }
        return new Tensor([rows, cols], values, errors);
    }

    /// <summary>Matrices of one shape stacked into [count, rows, cols]. Exact.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> parts)
    {
        int[] shape = [parts.Count, .. parts[0].Shape];
        var values = parts.SelectMany(p => p.Values).ToArray();
        var errors = parts.SelectMany(p => p.Errors).ToArray();
        return new Tensor(shape, values, errors);
    }
}
