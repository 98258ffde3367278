using Course.Exercises.Framework;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 06: the softmax of each row of the scores over the allowed entries only. allowed[i, j] = <b>true means may
    /// attend</b>; a masked entry gets weight exactly 0 and each row with an allowed entry sums to 1. A row with no
    /// allowed entry is all zeros (the course's convention: no NaN). Cases include a masked entry holding the row's
    /// largest score (1000), a fully masked row and scores all near −1000.
    /// </summary>
    /// <param name="maskedSoftmax">Your function: (scores [n_q, n_k], allowed bool [n_q, n_k]) → weights [n_q, n_k].</param>
    public static CheckResult MaskedSoftmax(Func<Matrix<float>, bool[,], Matrix<float>> maskedSoftmax) => MaskedSoftmaxCheck.Exercise.Run(maskedSoftmax);
}

internal static class MaskedSoftmaxCheck
{
    public sealed record Input(Matrix<float> Scores, bool[,] Allowed);

    private const string FullyMasked = MaskMistakes.FullyMaskedHint;
    private const string MaskedMaximum = "The largest score (1000) sits on a masked key. " + MaskMistakes.MaskedMaximumHint;

    public static readonly Exercise<Input, Func<Matrix<float>, bool[,], Matrix<float>>> Exercise = new()
    {
        Title = "Masked softmax (notebook 06)",
        Outputs = [new OutputSpec("weights", "n_q", "n_k") { Axes = ["query", "key"] }],
        Reference = input => [SoftmaxMath.Rows(Tensor.From(input.Scores), input.Allowed)],
        Invoke = (softmax, input) => [Observe.Matrix(softmax(input.Scores, input.Allowed), "weights")],
        Cases =
        [
            new("scores [4, 5] with a random mask", () => { var r = new Inputs(61); return new(r.Matrix(4, 5, 2), r.Mask(4, 5)); }),
            new("causal mask on scores [5, 5]", () => new(new Inputs(62).Matrix(5, 5, 2), AttentionMath.Causal(5, 5))),
            new("a masked key holds each row's largest score (1000)", MaskedLargest) { NonFiniteHint = MaskedMaximum, Hint = MaskedMaximum },
            new("row 2 is fully masked (no allowed key: zeros)", FullyMaskedRow) { NonFiniteHint = FullyMasked, Hint = FullyMasked },
            new("every score near −1000, with a random mask", () => { var r = new Inputs(66); return new(r.Matrix(3, 4, 2, offset: -1000), r.Mask(3, 4)); })
            {
                NonFiniteHint = SoftmaxMistakes.UnderflowHint,
            },
            new("one key: scores [3, 1], all allowed (every weight is 1)", () => new(new Inputs(65).Matrix(3, 1), new bool[3, 1] { { true }, { true }, { true } })),
        ],
        Mistakes =
        [
            .. MaskMistakes.All.Select(m => new Mistake<Input>(m.Id, m.Diagnosis, m.Hint,
                input => m.Weights(Tensor.From(input.Scores), input.Allowed) is { } weights ? [weights] : null)),
        ],
        Rules = [MaskedEntriesAreZero, Rules.ProbabilityRows<Input>(0)],
        ExceptionHint = "Copy the scores, set the masked ones to `float.NegativeInfinity`, then run a stable softmax on each row, treating a row with no allowed entry as zeros.",
        ShapeHint = "The weights have the shape of the scores: [n_q, n_k].",
        MismatchHint = "For each row: the maximum and the sum run over the allowed entries only; allowed entries get exp(s − max) / sum, masked ones 0.",
    };

    private static Input MaskedLargest()
    {
        var inputs = new Inputs(63);
        var scores = inputs.Matrix(3, 4, 2);
        var allowed = new bool[3, 4];
        for (int i = 0; i < 3; i++)
        {
            int masked = (i + 1) % 4;
            scores[i, masked] = 1000;
            for (int j = 0; j < 4; j++) allowed[i, j] = j != masked;
        }
        return new(scores, allowed);
    }

    private static Input FullyMaskedRow()
    {
        var inputs = new Inputs(64);
        var allowed = inputs.Mask(4, 4);
        for (int j = 0; j < 4; j++) allowed[2, j] = false;
        return new(inputs.Matrix(4, 4, 2), allowed);
    }

    private static Finding? MaskedEntriesAreZero(Input input, IReadOnlyList<Tensor> observed, IReadOnlyList<Tensor> expected)
    {
        Tensor weights = observed[0];
        if (!weights.Shape.SequenceEqual(expected[0].Shape)) return null;
        for (int i = 0; i < weights.Rows; i++)
            for (int j = 0; j < weights.Cols; j++)
                if (!input.Allowed[i, j] && weights[i, j] != 0 && !double.IsNaN(weights[i, j]))
                    return new Finding("property:masked-weight-not-zero",
                        $"weights[{i}, {j}] is {Format.Number(weights[i, j])} but key {j} is masked for query {i}: masked weights must be exactly 0.",
                        "Set masked scores to −∞ before the softmax: exp(−∞) = 0.");
        return null;
    }
}
