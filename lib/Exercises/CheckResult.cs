using System.Text;

namespace Course.Exercises;

/// <summary>
/// The verdict of one exercise check: passed or not, what differs, and a hint. Notebooks display it as a green or red
/// box (<see cref="ToHtml"/>); solution cells call <see cref="ShouldPass"/> so that a broken solution fails the run.
/// </summary>
public sealed class CheckResult
{
    internal CheckResult(bool passed, string exercise, string diagnosis, string message, string? hint, IReadOnlyList<string> details)
    {
        Passed = passed;
        Exercise = exercise;
        Diagnosis = diagnosis;
        Message = message;
        Hint = hint;
        Details = details;
    }

    /// <summary>Whether the learner's function matched the reference on every case.</summary>
    public bool Passed { get; }

    /// <summary>The exercise's title, e.g. "Softmax (notebook 04)".</summary>
    public string Exercise { get; }

    /// <summary>
    /// A short stable code for what was found: "passed", "not-implemented", "exception", "output" (null or ragged result),
    /// "shape", "non-finite", "mismatch", "no-function", or "mistake:&lt;id&gt;" for a recognised typical mistake
    /// (e.g. "mistake:no-scale"). Tests and tools can rely on it; learners read <see cref="Message"/>.
    /// </summary>
    public string Diagnosis { get; }

    /// <summary>What happened, precisely: the case, the element, expected versus got.</summary>
    public string Message { get; }

    /// <summary>What to try next, or null.</summary>
    public string? Hint { get; }

    /// <summary>One line per case (✓ passed, ✗ failed, · not run) and excerpts of expected and observed values.</summary>
    public IReadOnlyList<string> Details { get; }

    /// <summary>Throws <see cref="ExerciseCheckFailedException"/> (carrying the message and hint) unless the check passed; returns this result otherwise, so a cell can end with it and still show the green box.</summary>
    /// <exception cref="ExerciseCheckFailedException">The check did not pass.</exception>
    public CheckResult ShouldPass() => Passed ? this : throw new ExerciseCheckFailedException(this);

    /// <summary>Plain text: a ✔/✘ headline, the message, the hint and the details.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Passed ? "✔ " : "✘ ").Append(Exercise).Append(Passed ? ": passed. " : ": ").AppendLine(Message);
        if (Hint is not null) text.Append("Hint: ").AppendLine(Hint);
        foreach (string line in Details) text.Append("  ").AppendLine(line);
        return text.ToString().TrimEnd();
    }

    /// <summary>
    /// A self-contained HTML fragment (inline styles only, no script or external CSS): a green box when passed,
    /// red otherwise, with the message, the hint and collapsible details.
    /// </summary>
    public string ToHtml() => CheckResultHtml.Render(this);
}
