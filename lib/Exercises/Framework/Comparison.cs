namespace Course.Exercises.Framework;

internal enum DiscrepancyKind { Shape, NonFinite, Value }

/// <summary>The first way an observed output differs from the expected one, with the counts that describe the whole output.</summary>
internal sealed record Discrepancy(
    int Output, DiscrepancyKind Kind, int[] ExpectedShape, int[] ObservedShape,
    int Element = -1, double Expected = 0, double Got = 0, double Tolerance = 0,
    int Differing = 0, double LargestDifference = 0);

/// <summary>Element-by-element comparison of observed outputs with float64 references and their float32 error bounds.</summary>
internal static class Comparison
{
    /// <summary>
    /// Whether <paramref name="got"/> is within the float32 bound of <paramref name="expected"/>: safety × bound + floor.
    /// NaN matches only NaN and an infinity only itself.
    /// </summary>
    public static bool Close(double expected, double bound, double got) =>
        double.IsNaN(expected) ? double.IsNaN(got)
        : double.IsInfinity(expected) ? got == expected
        : Math.Abs(got - expected) <= Tolerance(bound);

    public static double Tolerance(double bound) => Float32.Safety * bound + Float32.Floor;

    /// <summary>
    /// Whether the observed outputs look like a mistake's outputs: same shapes, and every element within the mistake's
    /// float32 bound or 10⁻⁵ of the output's largest magnitude (a wrong formula evaluated in another order still
    /// matches; the correct answer was already ruled out).
    /// </summary>
    public static bool Resembles(IReadOnlyList<Tensor> mistake, IReadOnlyList<Tensor> observed)
    {
        if (mistake.Count != observed.Count) return false;
        for (int o = 0; o < mistake.Count; o++)
        {
            Tensor m = mistake[o], x = observed[o];
            if (!m.Shape.SequenceEqual(x.Shape)) return false;
            double scale = m.Values.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
            for (int i = 0; i < m.Count; i++)
            {
                double want = m.Values[i], got = x.Values[i];
                bool close = double.IsFinite(want)
                    ? Math.Abs(got - want) <= Tolerance(m.Errors[i]) + 1e-5 * scale
                    : Close(want, 0, got);
                if (!close) return false;
            }
        }
        return true;
    }

    /// <summary>The first output that differs (shape first, then NaN/∞, then values), or null when all match.</summary>
    public static Discrepancy? First(IReadOnlyList<Tensor> expected, IReadOnlyList<Tensor> observed)
    {
        for (int o = 0; o < expected.Count; o++)
            if (First(expected[o], observed[o], o) is { } discrepancy) return discrepancy;
        return null;
    }

    /// <summary>The largest |observed − expected| over all outputs (for the "passed" message).</summary>
    public static double LargestDifference(IReadOnlyList<Tensor> expected, IReadOnlyList<Tensor> observed)
    {
        double largest = 0;
        for (int o = 0; o < expected.Count; o++)
            for (int i = 0; i < expected[o].Count; i++)
                if (double.IsFinite(expected[o].Values[i]))
                    largest = Math.Max(largest, Math.Abs(observed[o].Values[i] - expected[o].Values[i]));
        return largest;
    }

    private static Discrepancy? First(Tensor expected, Tensor observed, int output)
    {
        if (!expected.Shape.SequenceEqual(observed.Shape))
            return new Discrepancy(output, DiscrepancyKind.Shape, expected.Shape, observed.Shape);

        int nonFinite = -1, first = -1, differing = 0;
        double largest = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            double want = expected.Values[i], got = observed.Values[i];
            if (Close(want, expected.Errors[i], got)) continue;
            differing++;
            if (first < 0) first = i;
            if (nonFinite < 0 && !double.IsFinite(got) && double.IsFinite(want)) nonFinite = i;
            largest = Math.Max(largest, Math.Abs(got - want));
        }
        if (first < 0) return null;
        int element = nonFinite >= 0 ? nonFinite : first;
        return new Discrepancy(
            output, nonFinite >= 0 ? DiscrepancyKind.NonFinite : DiscrepancyKind.Value, expected.Shape, observed.Shape,
            element, expected.Values[element], observed.Values[element], Tolerance(expected.Errors[element]), differing, largest);
    }

    /// <summary>The multi-index of flat element <paramref name="flat"/> in a row-major tensor of <paramref name="shape"/>.</summary>
    public static int[] Unflatten(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
        return index;
    }
}
