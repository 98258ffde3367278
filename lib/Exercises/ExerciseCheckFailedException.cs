namespace Course.Exercises;

/// <summary>Thrown by <see cref="CheckResult.ShouldPass"/> when a check failed; the message is the check's text, hint included.</summary>
public sealed class ExerciseCheckFailedException : Exception
{
    internal ExerciseCheckFailedException(CheckResult result) : base(result.ToString()) => Result = result;

    /// <summary>The failed check.</summary>
    public CheckResult Result { get; }
}
