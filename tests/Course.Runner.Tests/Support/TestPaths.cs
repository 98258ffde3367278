using Course.Runner;

namespace Course.Runner.Tests.Support;

/// <summary>Where the tests find their notebooks and write their outputs.</summary>
internal static class TestPaths
{
    public static CoursePaths Course { get; } = CoursePaths.Find();

    public static string RepoRoot => Course.RepoRoot;

    public static string TestProject => Path.Combine(RepoRoot, "tests", "Course.Runner.Tests");

    /// <summary>Small notebooks written for the runner's unit tests.</summary>
    public static string Fixtures => Path.Combine(TestProject, "Fixtures");

    /// <summary>Demo notebooks that use the course library (charts, MathNet) until the course lands.</summary>
    public static string Demos => Path.Combine(TestProject, "Demos");

    /// <summary>The test run's executed notebooks and rendered site (the CLI's artifacts/notebooks and artifacts/site stay untouched).</summary>
    public static string TestRun => Path.Combine(Course.Artifacts, "test-run");

    public static string Screenshots => Path.Combine(Course.Artifacts, "screenshots");

    private static readonly Lazy<string> TempRoot = new(() =>
    {
        // Each run leaves its folders for inspection; folders of runs older than an hour are removed.
        var root = Path.Combine(Path.GetTempPath(), "course-runner-tests");
        if (Directory.Exists(root))
        {
            foreach (var old in new DirectoryInfo(root).EnumerateDirectories().Where(d => d.CreationTimeUtc < DateTime.UtcNow.AddHours(-1)))
            {
                try
                {
                    old.Delete(recursive: true);
                }
                catch (IOException)
                {
                    // In use by another test process: leave it.
                }
            }
        }

        return root;
    });

    /// <summary>A new empty folder under the system temp folder.</summary>
    public static string NewTempDirectory(string purpose)
    {
        var dir = Path.Combine(TempRoot.Value, $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A path relative to the repository root, with forward slashes (readable test case names).</summary>
    public static string Relative(string path) => Path.GetRelativePath(RepoRoot, path).Replace('\\', '/');

    public static string Absolute(string repoRelative) => Path.GetFullPath(Path.Combine(RepoRoot, repoRelative));
}
