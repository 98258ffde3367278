using Course.Exercises.Framework;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 06: the causal mask of n tokens, bool [n, n] with <b>true = may attend</b>: mask[i, j] is true when
    /// j ≤ i (a token sees itself and the past, never the future).
    /// </summary>
    /// <param name="causalMask">Your function: n → mask bool [n, n].</param>
    public static CheckResult CausalMask(Func<int, bool[,]> causalMask) => CausalMaskCheck.Exercise.Run(causalMask);
}

internal static class CausalMaskCheck
{
    public static readonly Exercise<int, Func<int, bool[,]>> Exercise = new()
    {
        Title = "Causal mask (notebook 06)",
        Outputs = [new OutputSpec("mask", "n", "n") { Axes = ["query", "key"], Boolean = true }],
        Reference = n => [Mask(n, (i, j) => j <= i)],
        Invoke = (causalMask, n) => [Observe.Mask(causalMask(n), "mask")],
        Cases =
        [
            new("n = 4", () => 4),
            new("n = 1 (a single token sees itself)", () => 1),
            new("n = 7", () => 7),
        ],
        Mistakes =
        [
            new("inverted", "Your mask is inverted: true where attention is forbidden. In this course true means may attend.",
                "mask[i, j] = j <= i: true for the token itself and the past.",
                n => [Mask(n, (i, j) => j > i)]),
            new("diagonal-excluded", "Your mask hides the diagonal: a token cannot attend to itself (j < i instead of j ≤ i).",
                "Use `j <= i`: every token may attend to itself.",
                n => [Mask(n, (i, j) => j < i)]),
            new("future-visible", "Your mask lets each query see the future (j ≥ i): it is the transpose of the causal mask.",
                "Row i is the query: it may see keys j = 0 … i, so `mask[i, j] = j <= i`.",
                n => [Mask(n, (i, j) => j >= i)]),
            new("all-true", "Every entry of your mask is true: nothing is masked.",
                "Set mask[i, j] = false when j > i (the key comes after the query).",
                n => [Mask(n, (_, _) => true)]),
            new("one-ahead", "Your mask also lets each query see the next token (j ≤ i + 1).",
                "Use `j <= i`: nothing after the query itself.",
                n => [Mask(n, (i, j) => j <= i + 1)]),
        ],
        ExceptionHint = "Create `new bool[n, n]` and set mask[i, j] for every i, j in [0, n).",
        ShapeHint = "The mask is square: one row per query and one column per key, [n, n].",
        MismatchHint = "mask[i, j] is true exactly when key j is at or before query i: `j <= i`.",
    };

    private static Tensor Mask(int n, Func<int, int, bool> allowed) =>
        Tensor.Exact([n, n], Enumerable.Range(0, n * n).Select(e => allowed(e / n, e % n) ? 1.0 : 0.0).ToArray());
}
