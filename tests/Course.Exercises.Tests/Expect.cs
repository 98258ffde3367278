using Course.Exercises;

namespace Course.Exercises.Tests;

/// <summary>Assertions on check results that print the whole result when they fail.</summary>
internal static class Expect
{
    public static void Passes(CheckResult result) =>
        Assert.True(result.Passed, $"Expected a pass, got:\n{result}");

    /// <summary>The check failed with this diagnosis code and its message contains every phrase.</summary>
    public static void Fails(CheckResult result, string diagnosis, params string[] phrases)
    {
        Assert.False(result.Passed, $"Expected a failure ({diagnosis}), got a pass:\n{result}");
        Assert.True(result.Diagnosis == diagnosis, $"Expected diagnosis {diagnosis}, got {result.Diagnosis}:\n{result}");
        foreach (string phrase in phrases)
            Assert.True(result.Message.Contains(phrase, StringComparison.Ordinal), $"Expected the message to contain \"{phrase}\":\n{result}");
    }
}
