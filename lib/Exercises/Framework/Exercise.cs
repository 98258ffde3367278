namespace Course.Exercises.Framework;

/// <summary>
/// One exercise: run the learner's function and the float64 reference on each case, stop at the first case that
/// differs and say how (exception, unusable result, a recognised mistake, a broken property, wrong shape, NaN, values).
/// </summary>
/// <typeparam name="TInput">The inputs of one case.</typeparam>
/// <typeparam name="TFunc">The learner's delegate type.</typeparam>
internal sealed class Exercise<TInput, TFunc> where TFunc : Delegate
{
    public required string Title { get; init; }
    public required OutputSpec[] Outputs { get; init; }

    /// <summary>The correct outputs in float64 with their float32 error bounds.</summary>
    public required Func<TInput, Tensor[]> Reference { get; init; }

    /// <summary>Calls the learner's function and converts its result (<see cref="Observe"/>); may throw whatever the learner's code throws.</summary>
    public required Func<TFunc, TInput, Tensor[]> Invoke { get; init; }

    public required IReadOnlyList<Case<TInput>> Cases { get; init; }
    public IReadOnlyList<Mistake<TInput>> Mistakes { get; init; } = [];
    public IReadOnlyList<Rule<TInput>> Rules { get; init; } = [];

    /// <summary>Hint when the learner's code throws (usually about shapes).</summary>
    public required string ExceptionHint { get; init; }

    /// <summary>Hint for values that differ and match no known mistake.</summary>
    public required string MismatchHint { get; init; }

    /// <summary>Hint for a wrong shape; null: <see cref="MismatchHint"/>.</summary>
    public string? ShapeHint { get; init; }

    /// <summary>Hint for NaN or ∞ where the reference is finite; null: a generic one.</summary>
    public string? NonFiniteHint { get; init; }

    public CheckResult Run(TFunc? learner)
    {
        if (learner is null)
            return Fail("no-function", "No function was passed to the check.", "Pass your method's name, e.g. `Check.Softmax(MySoftmax)`.", []);

        var details = new List<string>();
        double largest = 0;
        for (int index = 0; index < Cases.Count; index++)
        {
            Case<TInput> @case = Cases[index];
            Tensor[] expected = Reference(@case.Make());
            Tensor[]? observed = null;
            Finding? finding = null;
            try
            {
                observed = Invoke(learner, @case.Make());
            }
            catch (NotImplementedException)
            {
                return Fail("not-implemented", "Not implemented yet: replace the `throw new NotImplementedException();` with your code.", null, []);
            }
            catch (LearnerOutputException e)
            {
                finding = new Finding(e.Diagnosis, e.Message, e.Hint);
            }
            catch (Exception e)
            {
                finding = new Finding("exception", $"your function threw {e.GetType().Name}: {e.Message}", ExceptionHint);
            }

            // Outside the try: an exception from here on is a defect of the check, not the learner's.
            if (observed is not null && Comparison.First(expected, observed) is { } discrepancy)
                finding = Diagnose(@case, expected, observed, discrepancy);

            if (finding is null)
            {
                double difference = Comparison.LargestDifference(expected, observed!);
                largest = Math.Max(largest, difference);
                details.Add($"✓ {@case.Title}");
                continue;
            }

            details.Add($"✗ {@case.Title}");
            details.AddRange(finding.Details.Select(line => "    " + line));
            details.AddRange(Cases.Skip(index + 1).Select(c => $"· {c.Title} (not run)"));
            string where = Cases.Count > 1 ? $"Case {index + 1} of {Cases.Count}, {@case.Title}: " : "";
            return Fail(finding.Diagnosis, where + finding.Message, finding.Hint, details);
        }

        string message = $"All {Cases.Count} cases match the reference (largest difference {Format.Small(largest)}, within float32 rounding).";
        return new CheckResult(true, Title, "passed", message, null, details);
    }

    private CheckResult Fail(string diagnosis, string message, string? hint, IReadOnlyList<string> details) =>
        new(false, Title, diagnosis, Capitalise(message), hint, details);

    private Finding Diagnose(Case<TInput> @case, Tensor[] expected, Tensor[] observed, Discrepancy discrepancy)
    {
        OutputSpec spec = Outputs[discrepancy.Output];
        string evidence = Describe(discrepancy);
        IReadOnlyList<string> excerpt = Excerpt(discrepancy, expected, observed);

        TInput input = @case.Make();
        foreach (var mistake in Mistakes)
        {
            Tensor[]? variant;
            try { variant = mistake.Outputs(input); }
            catch (ArgumentException) { continue; }   // the mistake cannot apply to these shapes
            if (variant is null || Comparison.First(expected, variant) is null) continue;   // the mistake gives the right answer here
            if (Comparison.Resembles(variant, observed))
                return new Finding($"mistake:{mistake.Id}", $"{mistake.Diagnosis} {evidence}", mistake.Hint) { Details = excerpt };
        }

        foreach (var rule in Rules)
            if (rule(input, observed, expected) is { } found)
                return found with { Message = $"{found.Message} {evidence}", Details = excerpt };

        return discrepancy.Kind switch
        {
            DiscrepancyKind.Shape => new Finding("shape", evidence + Transposed(discrepancy), ShapeHint ?? MismatchHint),
            DiscrepancyKind.NonFinite => new Finding("non-finite", evidence,
                @case.NonFiniteHint ?? NonFiniteHint ?? "Look for a division by zero (0/0 is NaN) or an exp that overflows (float32 exp overflows above 88.7).")
            { Details = excerpt },
            _ => new Finding("mismatch", evidence, @case.Hint ?? MismatchHint) { Details = excerpt },
        };

        string Transposed(Discrepancy d) =>
            d.ObservedShape.Length == 2 && d.ExpectedShape.Length == 2 && d.ObservedShape[0] == d.ExpectedShape[1] && d.ObservedShape[1] == d.ExpectedShape[0]
                ? $" It looks transposed: rows of {spec.Name} should be {spec.Symbols.ElementAtOrDefault(0) ?? "rows"}."
                : "";
    }

    /// <summary>One precise sentence: which output, which element, expected versus got, how many differ.</summary>
    private string Describe(Discrepancy d)
    {
        OutputSpec spec = Outputs[d.Output];
        if (d.Kind == DiscrepancyKind.Shape)
            return $"{spec.Name} should have shape {spec.ExpectedShape(d.ExpectedShape)}, but yours has {spec.ObservedShape(d.ObservedShape)}.";

        string at = spec.Index(Comparison.Unflatten(d.Element, d.ExpectedShape));
        (string want, string got) = spec.Boolean ? (Format.Value(d.Expected, true), Format.Value(d.Got, true)) : Format.Pair(d.Expected, d.Got);
        int total = d.ExpectedShape.Aggregate(1, (a, b) => a * b);
        string sentence = $"{at} should be {want}, yours is {got}";
        if (total == 1) return sentence + ".";
        sentence += $"; {d.Differing} of {total} elements differ";
        if (!spec.Boolean && double.IsFinite(d.LargestDifference))
            sentence += $", largest difference {Format.Small(d.LargestDifference)} (tolerance about {Format.Small(d.Tolerance)})";
        return sentence + ".";
    }

    /// <summary>The row (last axis) around the first difference, expected and yours, for the details.</summary>
    private IReadOnlyList<string> Excerpt(Discrepancy d, Tensor[] expected, Tensor[] observed)
    {
        if (d.Kind == DiscrepancyKind.Shape || d.ExpectedShape.Length == 0) return [];
        OutputSpec spec = Outputs[d.Output];
        int width = d.ExpectedShape[^1], start = d.Element / width * width, column = d.Element - start;
        int[] index = Comparison.Unflatten(start, d.ExpectedShape);
        string row = d.ExpectedShape.Length == 1 ? spec.Name
            : spec.Jagged ? $"{spec.Name}[{index[0]}]" + (index.Length > 2 ? $"[{string.Join(", ", index.Skip(1).Take(index.Length - 2))}, :]" : "")
            : $"{spec.Name}[{string.Join(", ", index.Take(index.Length - 1))}, :]";
        return
        [
            $"expected {row} = {Format.Excerpt(expected[d.Output].Values.AsSpan(start, width), column, spec.Boolean)}",
            $"yours    {row} = {Format.Excerpt(observed[d.Output].Values.AsSpan(start, width), column, spec.Boolean)}",
        ];
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
