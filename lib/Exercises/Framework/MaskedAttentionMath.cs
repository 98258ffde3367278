namespace Course.Exercises.Framework;

/// <summary>Masked attention mistakes: a masking mistake applied inside attention, and the formula mistakes with the mask on.</summary>
internal static class MaskedAttentionMath
{
    /// <summary>
    /// Mistakes of attention(q, k, v, mask) as exercise mistakes whose single output is the attention output:
    /// every <see cref="MaskMistakes.All"/> entry on the scaled scores, then the formula mistakes.
    /// </summary>
    public static IEnumerable<Mistake<TInput>> Mistakes<TInput>(Func<TInput, (Tensor Q, Tensor K, Tensor V, bool[,] Mask)> arguments)
    {
        foreach (var m in MaskMistakes.All)
            yield return new Mistake<TInput>(m.Id, m.Diagnosis, m.Hint, input =>
            {
                var (q, k, v, mask) = arguments(input);
                Tensor scores = TensorMath.Scale(TensorMath.MatMul(q, TensorMath.Transpose(k)), AttentionMath.DefaultScale(q.Cols));   // [n_q, n_k]
                return m.Weights(scores, mask) is { } weights ? [TensorMath.MatMul(weights, v)] : null;
            });
        foreach (var mistake in AttentionMistakes.For<TInput>(AttentionMistakes.Formula, input => arguments(input), (result, _) => [result.Output]))
            yield return mistake;
    }
}
