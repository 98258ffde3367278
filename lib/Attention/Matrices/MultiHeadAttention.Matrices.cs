using MathNet.Numerics.LinearAlgebra;

namespace Attention;

// The MathNet face of the layer: weights as matrices, forward on matrices, head split on matrices.
public sealed partial class MultiHeadAttention
{
    /// <summary>W_Q [d_model, d_model] as a new matrix (a copy: assign the property to change the layer), so Q = X·W_Q reads <c>X * mha.WQ</c>.</summary>
    public Matrix<float> WQ { get => ToMatrix(QueryWeight, ModelDim, ModelDim); set => CopyIn(value, QueryWeight, ModelDim, ModelDim, nameof(WQ)); }

    /// <summary>W_K [d_ctx, kvHeads·d_head] as a new matrix (a copy: assign the property to change the layer).</summary>
    public Matrix<float> WK { get => ToMatrix(KeyWeight, ContextDim, KvDim); set => CopyIn(value, KeyWeight, ContextDim, KvDim, nameof(WK)); }

    /// <summary>W_V [d_ctx, kvHeads·d_head] as a new matrix (a copy: assign the property to change the layer).</summary>
    public Matrix<float> WV { get => ToMatrix(ValueWeight, ContextDim, KvDim); set => CopyIn(value, ValueWeight, ContextDim, KvDim, nameof(WV)); }

    /// <summary>W_O [d_model, d_model] as a new matrix (a copy: assign the property to change the layer).</summary>
    public Matrix<float> WO { get => ToMatrix(OutputWeight, ModelDim, ModelDim); set => CopyIn(value, OutputWeight, ModelDim, ModelDim, nameof(WO)); }

    /// <summary>b_Q [d_model] as a new vector, or null without biases (a copy: assign the property to change the layer).</summary>
    public Vector<float>? BQ { get => ToVector(QueryBias); set => CopyIn(value, QueryBias, nameof(BQ)); }

    /// <summary>b_K [kvHeads·d_head] as a new vector, or null without biases (a copy: assign the property to change the layer).</summary>
    public Vector<float>? BK { get => ToVector(KeyBias); set => CopyIn(value, KeyBias, nameof(BK)); }

    /// <summary>b_V [kvHeads·d_head] as a new vector, or null without biases (a copy: assign the property to change the layer).</summary>
    public Vector<float>? BV { get => ToVector(ValueBias); set => CopyIn(value, ValueBias, nameof(BV)); }

    /// <summary>b_O [d_model] as a new vector, or null without biases (a copy: assign the property to change the layer).</summary>
    public Vector<float>? BO { get => ToVector(OutputBias); set => CopyIn(value, OutputBias, nameof(BO)); }

    /// <summary>
    /// Attention on matrices: self-attention of x [n, d_model] when <paramref name="context"/> is null, otherwise
    /// cross-attention of x [n_q, d_model] to context [n_k, d_ctx]. Returns the output [n_q, d_model] and each head's
    /// weights [n_q, n_k]. Options as in the span-level <c>Forward</c>; with <see cref="KernelPath.Tiled"/> the weights
    /// come from an extra <see cref="KernelPath.Simd"/> pass.
    /// </summary>
    /// <exception cref="ArgumentException">x or context is null or has the wrong width (the message names it and the shapes).</exception>
    public MultiHeadAttentionResult Forward(Matrix<float> x, Matrix<float>? context = null, AttentionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.ColumnCount != ModelDim)
            throw new ArgumentException($"x [{x.RowCount}, {x.ColumnCount}] must have d_model = {ModelDim} columns ({this}).", nameof(x));
        if (context is not null && context.ColumnCount != ContextDim)
            throw new ArgumentException($"context [{context.RowCount}, {context.ColumnCount}] must have d_ctx = {ContextDim} columns ({this}).", nameof(context));
        if (context is null && ContextDim != ModelDim)
            throw new ArgumentException($"This layer attends to a context of width d_ctx = {ContextDim}: pass one ({this}).", nameof(context));

        int queryLength = x.RowCount, keyLength = context?.RowCount ?? queryLength;
        float[] rows = Attend.ToRowMajor(x);                                     // [n_q, d_model]
        float[] contextRows = context is null ? rows : Attend.ToRowMajor(context); // [n_k, d_ctx]
        var output = new float[queryLength * ModelDim];                         // [n_q, d_model]
        var weights = new float[Heads * queryLength * keyLength];               // [heads, n_q, n_k]
        Forward(rows, queryLength, contextRows, keyLength, output, options, weights);

        var headWeights = new Matrix<float>[Heads];
        for (int h = 0; h < Heads; h++)
            headWeights[h] = Attend.FromRowMajor(weights.AsSpan(h * queryLength * keyLength, queryLength * keyLength), queryLength, keyLength);
        return new MultiHeadAttentionResult(Attend.FromRowMajor(output, queryLength, ModelDim), headWeights);
    }

    /// <summary>Split x [n, heads·d_head] into <paramref name="heads"/> matrices [n, d_head]: head h takes columns h·d_head … (h+1)·d_head − 1.</summary>
    /// <exception cref="ArgumentException">x is null, or heads is not positive or does not divide its width.</exception>
    public static Matrix<float>[] SplitHeads(Matrix<float> x, int heads)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (heads <= 0 || x.ColumnCount % heads != 0)
            throw new ArgumentException($"heads ({heads}) must be positive and divide the width of x [{x.RowCount}, {x.ColumnCount}].", nameof(heads));
        int headDim = x.ColumnCount / heads;
        return Enumerable.Range(0, heads).Select(h => x.SubMatrix(0, x.RowCount, h * headDim, headDim)).ToArray();
    }

    /// <summary>Concatenate head matrices, each [n, d_head], side by side into [n, heads·d_head]: the inverse of <see cref="SplitHeads(Matrix{float}, int)"/>.</summary>
    /// <exception cref="ArgumentException">heads is null or empty, or the matrices differ in shape.</exception>
    public static Matrix<float> MergeHeads(IReadOnlyList<Matrix<float>> heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        if (heads.Count == 0) throw new ArgumentException("heads is empty: there is nothing to merge.", nameof(heads));
        var first = heads[0] ?? throw new ArgumentException("heads[0] is null.", nameof(heads));
        for (int h = 1; h < heads.Count; h++)
            if (heads[h] is null || heads[h].RowCount != first.RowCount || heads[h].ColumnCount != first.ColumnCount)
                throw new ArgumentException(
                    $"heads[{h}] is {(heads[h] is null ? "null" : $"[{heads[h].RowCount}, {heads[h].ColumnCount}]")}, but heads[0] is [{first.RowCount}, {first.ColumnCount}]: every head must have the same shape.",
                    nameof(heads));
        var merged = Matrix<float>.Build.Dense(first.RowCount, first.ColumnCount * heads.Count);
        for (int h = 0; h < heads.Count; h++)
            merged.SetSubMatrix(0, h * first.ColumnCount, heads[h]);
        return merged;
    }

    private static Matrix<float> ToMatrix(float[] rowMajor, int rows, int cols) => Attend.FromRowMajor(rowMajor, rows, cols);

    private static Vector<float>? ToVector(float[]? values) => values is null ? null : Vector<float>.Build.DenseOfArray((float[])values.Clone());

    private void CopyIn(Matrix<float> value, float[] destination, int rows, int cols, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.RowCount != rows || value.ColumnCount != cols)
            throw new ArgumentException($"{name} must be [{rows}, {cols}], got [{value.RowCount}, {value.ColumnCount}] ({this}).", name);
        Attend.ToRowMajor(value).CopyTo(destination, 0);
    }

    private void CopyIn(Vector<float>? value, float[]? destination, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (destination is null)
            throw new ArgumentException($"{name}: this layer was built with bias: false, so it has no bias to set ({this}).", name);
        if (value.Count != destination.Length)
            throw new ArgumentException($"{name} must have {destination.Length} elements, got {value.Count} ({this}).", name);
        value.ToArray().CopyTo(destination, 0);
    }
}
