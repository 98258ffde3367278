using Course.Exercises.Framework;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 06: attention over a padded sequence of keys: only keys 0 … validKeys − 1 are real, the rest are padding
    /// that no query may attend. With validKeys = 0 every output row is zeros.
    /// </summary>
    /// <param name="paddingAttention">Your function: (Q [n_q, d_k], K [n_k, d_k], V [n_k, d_v], validKeys) → output [n_q, d_v].</param>
    public static CheckResult PaddingAttention(Func<Matrix<float>, Matrix<float>, Matrix<float>, int, Matrix<float>> paddingAttention) =>
        PaddingAttentionCheck.Exercise.Run(paddingAttention);
}

internal static class PaddingAttentionCheck
{
    public sealed record Input(Matrix<float> Q, Matrix<float> K, Matrix<float> V, int ValidKeys);

    private const string NoKeys = "With validKeys = 0 there is no real key to attend to: the course defines the output as zeros (a fully masked row), not NaN.";

    public static readonly Exercise<Input, Func<Matrix<float>, Matrix<float>, Matrix<float>, int, Matrix<float>>> Exercise = new()
    {
        Title = "Attention with padding (notebook 06)",
        Outputs = [AttentionCheck.Output],
        Reference = input => [Forward(input, input.ValidKeys)],
        Invoke = (attention, input) => [Observe.Matrix(attention(input.Q, input.K, input.V, input.ValidKeys), "output")],
        Cases =
        [
            new("Q [5, 4], K [6, 4], V [6, 2], validKeys = 4 (keys 4 and 5 are padding)", () => Random(81, 5, 6, 4, 2, 4)),
            new("no padding: Q [2, 3], K [5, 3], V [5, 3], validKeys = 5", () => Random(82, 2, 5, 3, 3, 5)),
            new("one real key: validKeys = 1 (every output row is V's row 0)", () => Random(83, 3, 4, 3, 2, 1)),
            new("no real key: validKeys = 0 (zeros)", () => Random(84, 2, 3, 3, 2, 0)) { NonFiniteHint = NoKeys, Hint = NoKeys },
        ],
        Mistakes =
        [
            new("padding-ignored", "Your output attends to the padding keys too: validKeys is ignored.",
                "Mask keys j ≥ validKeys (score −∞ before the softmax).",
                input => [Forward(input, input.K.RowCount)]),
            new("one-key-too-many", "Your output also attends to key validKeys, the first padding key (j ≤ validKeys instead of j < validKeys).",
                "Keys 0 … validKeys − 1 are real: keep j < validKeys.",
                input => input.ValidKeys >= input.K.RowCount ? null : [Forward(input, input.ValidKeys + 1)]),
            new("one-key-too-few", "Your output leaves out the last real key, validKeys − 1 (j < validKeys − 1).",
                "Keys 0 … validKeys − 1 are real: keep j < validKeys.",
                input => input.ValidKeys == 0 ? null : [Forward(input, input.ValidKeys - 1)]),
            new("padded-queries", "Your output zeroes the query rows at or past validKeys instead of masking the keys.",
                "Padding hides keys (columns of the scores), not queries: every query attends to keys 0 … validKeys − 1.",
                input => PaddedQueries(input) is { } output ? [output] : null),
            new("padding-at-start", "Your output attends to the last validKeys keys: the padding is at the end of the sequence, not at the start.",
                "Keep keys j < validKeys (the first ones).",
                input => [AttentionMath.Forward(Tensor.From(input.Q), Tensor.From(input.K), Tensor.From(input.V), AttentionMath.DefaultScale(input.Q.ColumnCount),
                    Mask(input, j => j >= input.K.RowCount - input.ValidKeys)).Output]),
            .. MaskedAttentionMath.Mistakes<Input>(Arguments),
        ],
        ExceptionHint = "Check the shapes: scores = Q·Kᵀ is [n_q, n_k]; mask the columns j ≥ validKeys; output = weights·V is [n_q, d_v].",
        ShapeHint = "The output has one row per query and the width of V: [n_q, d_v].",
        MismatchHint = "scores = Q·Kᵀ / √d_k; set scores[i, j] = −∞ for every j ≥ validKeys; softmax each row (no allowed key: zeros); output = weights·V.",
    };

    private static (Tensor Q, Tensor K, Tensor V, bool[,] Mask) Arguments(Input input) =>
        (Tensor.From(input.Q), Tensor.From(input.K), Tensor.From(input.V), Mask(input, j => j < input.ValidKeys));

    /// <summary>bool [n_q, n_k]: every query may attend key j when keep(j).</summary>
    private static bool[,] Mask(Input input, Func<int, bool> keep)
    {
        var mask = new bool[input.Q.RowCount, input.K.RowCount];
        for (int i = 0; i < mask.GetLength(0); i++)
            for (int j = 0; j < mask.GetLength(1); j++)
                mask[i, j] = keep(j);
        return mask;
    }

    private static Tensor Forward(Input input, int validKeys) =>
        AttentionMath.Forward(Tensor.From(input.Q), Tensor.From(input.K), Tensor.From(input.V), AttentionMath.DefaultScale(input.Q.ColumnCount),
            AttentionMath.Padding(input.Q.RowCount, input.K.RowCount, validKeys)).Output;

    private static Tensor? PaddedQueries(Input input)
    {
        if (input.ValidKeys >= input.Q.RowCount) return null;
        var allowed = new bool[input.Q.RowCount, input.K.RowCount];
        for (int i = 0; i < input.ValidKeys; i++)
            for (int j = 0; j < input.K.RowCount; j++) allowed[i, j] = true;
        return AttentionMath.Forward(Tensor.From(input.Q), Tensor.From(input.K), Tensor.From(input.V), AttentionMath.DefaultScale(input.Q.ColumnCount), allowed).Output;
    }

    /// <summary>Random Q, K, V; the padding rows of K and V hold large values (×20) so attending to them shows.</summary>
    private static Input Random(int seed, int queries, int keys, int headDim, int valueDim, int validKeys)
    {
        var inputs = new Inputs(seed);
        var k = inputs.Matrix(keys, headDim);
        var v = inputs.Matrix(keys, valueDim);
        for (int j = validKeys; j < keys; j++)
        {
            k.SetRow(j, k.Row(j) * 20);
            v.SetRow(j, v.Row(j) * 20);
        }
        return new(inputs.Matrix(queries, headDim), k, v, validKeys);
    }
}
