namespace Course.Exercises.Framework;

/// <summary>
/// A typical wrong attention: its (output, weights) on the inputs, or null when the mistake cannot apply to these shapes.
/// </summary>
internal sealed record AttentionMistake(string Id, string Diagnosis, string Hint, Func<Tensor, Tensor, Tensor, bool[,]?, (Tensor Output, Tensor Weights)?> Apply);

/// <summary>The typical mistakes of scaled dot-product attention, shared by every attention exercise (plain, masked, padded, cached, cross).</summary>
internal static class AttentionMistakes
{
    /// <summary>Scale, axis, transpose and ordering mistakes; with a mask, each is applied with the (correct) mask.</summary>
    public static readonly AttentionMistake[] Formula =
    [
        new("no-scale", "Your result matches softmax(Q·Kᵀ)·V without the 1/√d_k scale.",
            "Divide the scores by √d_k before the softmax: `scores / MathF.Sqrt(dK)`.",
            (q, k, v, mask) => AttentionMath.Forward(q, k, v, 1, mask)),
        new("scale-1-over-dk", "Your result matches a scale of 1/d_k instead of 1/√d_k.",
            "The scale is one over the square root of d_k: `1 / MathF.Sqrt(dK)`.",
            (q, k, v, mask) => AttentionMath.Forward(q, k, v, 1.0 / q.Cols, mask)),
        new("scale-times-sqrt-dk", "Your result matches scores multiplied by √d_k instead of divided.",
            "Divide the scores by √d_k (equivalently, multiply by 1/√d_k).",
            (q, k, v, mask) => AttentionMath.Forward(q, k, v, Math.Sqrt(q.Cols), mask)),
        new("scale-sqrt-dv", "Your result matches a scale of 1/√d_v: the scale uses the width of V instead of that of Q and K.",
            "d_k is the width of the queries and keys (Q.ColumnCount), the length of the vectors being dotted.",
            (q, k, v, mask) => v.Cols == q.Cols ? null : AttentionMath.Forward(q, k, v, 1 / Math.Sqrt(v.Cols), mask)),
        new("softmax-over-columns",
            "Your softmax runs over the queries (each column of the weights sums to 1) instead of over the keys (each row should).",
            "Normalise each row of the scores: row i holds query i's scores for every key.",
            (q, k, v, mask) => mask is not null ? null : Weighted(SoftmaxMath.Columns(Scores(q, k, AttentionMath.DefaultScale(q.Cols))), v)),
        new("forgot-v", "Your output is the attention weights themselves: the weights are never multiplied by V.",
            "Finish with `weights * V`: each output row is a weighted average of the value rows.",
            (q, k, v, mask) => { var (_, w) = AttentionMath.Forward(q, k, v, AttentionMath.DefaultScale(q.Cols), mask); return (w, w); }),
        new("k-not-transposed", "Your scores are Q·K instead of Q·Kᵀ: K is not transposed.",
            "Use `Q * K.Transpose()`: score[i, j] is query i dotted with key j.",
            (q, k, v, mask) => q.Cols != k.Rows ? null
                : Weighted(SoftmaxMath.Rows(TensorMath.Scale(TensorMath.MatMul(q, k), AttentionMath.DefaultScale(q.Cols)), mask), v)),
        new("scale-after-softmax", "Your weights are softmax(Q·Kᵀ)/√d_k: the scale is applied after the softmax, so rows no longer sum to 1.",
            "Scale the scores before the softmax: softmax(Q·Kᵀ / √d_k).",
            (q, k, v, mask) => Weighted(TensorMath.Scale(SoftmaxMath.Rows(Scores(q, k, 1), mask), AttentionMath.DefaultScale(q.Cols)), v)),
        new("weights-transposed", "Your output is weightsᵀ·V: the weights are transposed before multiplying V.",
            "Output row i is Σⱼ weights[i, j]·V[j]: `weights * V`, with the weights as they are.",
            (q, k, v, mask) =>
            {
                var (_, w) = AttentionMath.Forward(q, k, v, AttentionMath.DefaultScale(q.Cols), mask);
                return w.Rows != w.Cols ? null : (TensorMath.MatMul(TensorMath.Transpose(w), v), w);
            }),
        new("max-from-zero", SoftmaxMistakes.MaxFromZeroDiagnosis, SoftmaxMistakes.UnderflowHint,
            (q, k, v, mask) => Weighted(SoftmaxMistakes.MaxFromZero(Scores(q, k, AttentionMath.DefaultScale(q.Cols)), mask), v)),
        new("no-max-subtraction",
            "Your softmax overflows on these large scores: without subtracting each row's maximum, exp(score) is ∞ in float32 above 88.7 and ∞/∞ is NaN.",
            "Subtract each row's largest score before exp (softmax does not change) so that the largest exponent is exp(0) = 1.",
            (q, k, v, mask) => Weighted(SoftmaxMath.Float32Rows(Scores(q, k, AttentionMath.DefaultScale(q.Cols)), mask, SoftmaxMath.Shift.None), v)),
    ];

    /// <summary>The formula mistakes as an exercise's mistakes; <paramref name="outputs"/> maps (output, weights) to the exercise's outputs.</summary>
    public static IEnumerable<Mistake<TInput>> For<TInput>(
        IEnumerable<AttentionMistake> mistakes, Func<TInput, (Tensor Q, Tensor K, Tensor V, bool[,]? Mask)> arguments,
        Func<(Tensor Output, Tensor Weights), TInput, Tensor[]> outputs) =>
        mistakes.Select(m => new Mistake<TInput>(m.Id, m.Diagnosis, m.Hint, input =>
        {
            var (q, k, v, mask) = arguments(input);
            return m.Apply(q, k, v, mask) is { } result ? outputs(result, input) : null;
        }));

    private static Tensor Scores(Tensor q, Tensor k, double scale) =>
        TensorMath.Scale(TensorMath.MatMul(q, TensorMath.Transpose(k)), scale);   // [n_q, n_k]

    private static (Tensor Output, Tensor Weights) Weighted(Tensor weights, Tensor v) => (TensorMath.MatMul(weights, v), weights);
}
