using System.Collections.Concurrent;
using Course.Runner;

namespace Course.Runner.Tests.Support;

/// <summary>
/// The notebooks the test run executes: the course's (notebooks/*.ipynb) and the demo notebooks. Each runs once per
/// test process, whichever test asks first; its executed copy goes to artifacts/test-run/notebooks/.
/// </summary>
internal static class CourseNotebooks
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<NotebookResult>>> Runs = new(StringComparer.Ordinal);

    public static string ExecutedDirectory => Path.Combine(TestPaths.TestRun, "notebooks");

    /// <summary>Course notebooks in course order, then the demos (their names start with "demo-", so they sort after "01-"…).</summary>
    public static IReadOnlyList<string> All()
    {
        var course = Directory.Exists(TestPaths.Course.Notebooks) ? NotebookRunner.FindNotebooks(TestPaths.Course.Notebooks) : [];
        return [.. course, .. NotebookRunner.FindNotebooks(TestPaths.Demos)];
    }

    /// <summary>xunit data: each notebook's path relative to the repository root.</summary>
    public static IEnumerable<object[]> TheoryData() => All().Select(path => new object[] { TestPaths.Relative(path) });

    public static Task<NotebookResult> RunAsync(string path) =>
        Runs.GetOrAdd(Path.GetFullPath(path), full => new Lazy<Task<NotebookResult>>(() => NotebookRunner.RunNotebookAsync(
            full,
            new NotebookRunOptions { ExecutedDirectory = ExecutedDirectory, CellTimeout = TimeSpan.FromSeconds(180) }))).Value;
}
