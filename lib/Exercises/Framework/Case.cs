namespace Course.Exercises.Framework;

/// <summary>
/// One input of an exercise. <see cref="Make"/> builds it from a fixed seed, so the reference and the learner get
/// equal but separate copies (a learner's function that modifies its arguments cannot change the reference).
/// </summary>
internal sealed record Case<TInput>(string Title, Func<TInput> Make)
{
    /// <summary>Hint for a value mismatch in this case (e.g. why large logits are special); null: the exercise's hint.</summary>
    public string? Hint { get; init; }

    /// <summary>Hint when the learner returns NaN or ∞ here; null: the exercise's.</summary>
    public string? NonFiniteHint { get; init; }
}

/// <summary>
/// A typical wrong implementation, computed on the same input: when the learner's outputs match it, the check names
/// the mistake. <see cref="Outputs"/> returns null where the mistake cannot apply (incompatible shapes).
/// </summary>
internal sealed record Mistake<TInput>(string Id, string Diagnosis, string Hint, Func<TInput, Tensor[]?> Outputs);

/// <summary>What the check found in a failing case.</summary>
internal sealed record Finding(string Diagnosis, string Message, string? Hint)
{
    public IReadOnlyList<string> Details { get; init; } = [];
}

/// <summary>A property test run when no typical mistake matched (rows summing to 1, …): a finding or null.</summary>
internal delegate Finding? Rule<in TInput>(TInput input, IReadOnlyList<Tensor> observed, IReadOnlyList<Tensor> expected);
