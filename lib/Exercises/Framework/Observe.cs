using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises.Framework;

/// <summary>A learner's result that cannot be compared at all (null, ragged); the message says what to return instead.</summary>
internal sealed class LearnerOutputException(string message, string? hint = null, string diagnosis = "output") : Exception(message)
{
    public string? Hint { get; } = hint;

    /// <summary>The <see cref="CheckResult.Diagnosis"/> code: "output", or a mistake such as "mistake:read-twice".</summary>
    public string Diagnosis { get; } = diagnosis;
}

/// <summary>Turns what the learner's function returned into a <see cref="Tensor"/> with zero error, or explains why it cannot.</summary>
internal static class Observe
{
    public static Tensor Scalar(float x) => Tensor.Scalar(x);

    public static Tensor Vector(float[]? v, string name) =>
        v is null ? throw Null(name, "a float[]") : Tensor.From(v);

    public static Tensor Matrix(Matrix<float>? m, string name) =>
        m is null ? throw Null(name, "a Matrix<float>") : Tensor.From(m);

    /// <summary>A boolean mask as a 1/0 matrix.</summary>
    public static Tensor Mask(bool[,]? mask, string name)
    {
        if (mask is null) throw Null(name, "a bool[,]");
        int rows = mask.GetLength(0), cols = mask.GetLength(1);
        var values = new double[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                values[i * cols + j] = mask[i, j] ? 1 : 0;
        return new Tensor([rows, cols], values);
    }

    /// <summary>An array of equally shaped matrices as [count, rows, cols].</summary>
    public static Tensor Matrices(Matrix<float>[]? matrices, string name)
    {
        if (matrices is null) throw Null(name, "a Matrix<float>[]");
        if (matrices.Length == 0) return Tensor.Zeros(0, 0, 0);
        for (int i = 0; i < matrices.Length; i++)
        {
            if (matrices[i] is null) throw Null($"{name}[{i}]", "a Matrix<float>");
            if (matrices[i].RowCount != matrices[0].RowCount || matrices[i].ColumnCount != matrices[0].ColumnCount)
                throw new LearnerOutputException(
                    $"{name}[{i}] has shape [{matrices[i].RowCount}, {matrices[i].ColumnCount}] but {name}[0] has shape [{matrices[0].RowCount}, {matrices[0].ColumnCount}]: every element should have the same shape.");
        }
        return TensorMath.Stack(matrices.Select(Tensor.From).ToArray());
    }

    /// <summary>A list of equally long vectors (the rows of a KV cache) as [count, length].</summary>
    public static Tensor Rows(IReadOnlyList<float[]>? rows, string name)
    {
        if (rows is null) throw Null(name, "a list of float[]");
        if (rows.Count == 0) return Tensor.Zeros(0, 0);
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i] is null) throw Null($"{name}[{i}]", "a float[]");
            if (rows[i].Length != rows[0].Length)
                throw new LearnerOutputException($"{name}[{i}] has {rows[i].Length} elements but {name}[0] has {rows[0].Length}: every entry should have the same length.");
        }
        return new Tensor([rows.Count, rows[0].Length], rows.SelectMany(r => r.Select(x => (double)x)).ToArray());
    }

    private static LearnerOutputException Null(string name, string type) =>
        new($"{name} is null: your function should return {type}.", "Return the result you computed (a missing `return`, or returning a variable that was never assigned?).");
}
