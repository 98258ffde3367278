namespace Course.Exercises.Framework;

/// <summary>Property checks shared by exercises, run when no typical mistake matched.</summary>
internal static class Rules
{
    /// <summary>
    /// Output <paramref name="output"/> holds probability rows (a vector is one row): no negative entry, and every row
    /// the reference normalises sums to 1. Recognises normalisation down the columns instead of along the rows.
    /// </summary>
    public static Rule<TInput> ProbabilityRows<TInput>(int output) => (_, observed, expected) =>
    {
        Tensor o = observed[output], e = expected[output];
        if (!o.Shape.SequenceEqual(e.Shape) || o.Rank > 2 || o.Count == 0) return null;
        int cols = o.Shape[^1], rows = o.Count / cols;
        string name = NameOf(o.Rank);

        for (int i = 0; i < o.Count; i++)
            if (o.Values[i] < -1e-6)
                return new Finding("property:negative-probability",
                    $"Your {name} {(o.Rank == 1 ? "contains" : "contain")} a negative value ({Format.Number(o.Values[i])}): probabilities are never negative.",
                    "exp(·) is always positive: every weight should be exp(score − max) divided by a positive sum.");

        for (int r = 0; r < rows; r++)
        {
            double expectedSum = Sum(e, r, cols), observedSum = Sum(o, r, cols);
            if (expectedSum < 0.5 || Math.Abs(observedSum - 1) <= 1e-4 || double.IsNaN(observedSum)) continue;
            if (rows > 1 && ColumnsSumToOne(o, rows, cols))
                return new Finding("property:columns-sum-to-one",
                    $"Each column of your {name} sums to 1 instead of each row: the softmax runs over the wrong axis.",
                    "Normalise every row on its own: divide each exp(s[i, j] − max of row i) by the sum over j of row i.");
            return new Finding("property:rows-do-not-sum-to-one",
                rows > 1 ? $"Row {r} of your {name} sums to {Format.Number(observedSum)} instead of 1." : $"Your {name} sums to {Format.Number(observedSum)} instead of 1.",
                "Divide each exponential by the sum of the exponentials of its row, so that each row is a probability distribution.");
        }
        return null;
    };

    private static string NameOf(int rank) => rank == 1 ? "result" : "weights";

    private static double Sum(Tensor t, int row, int cols)
    {
        double sum = 0;
        for (int c = 0; c < cols; c++) sum += t.Values[row * cols + c];
        return sum;
    }

    private static bool ColumnsSumToOne(Tensor t, int rows, int cols)
    {
        for (int c = 0; c < cols; c++)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++) sum += t.Values[r * cols + c];
            if (Math.Abs(sum - 1) > 1e-4) return false;
        }
        return true;
    }
}
