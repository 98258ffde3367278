using System.Reflection;

namespace Course.Runner;

/// <summary>The course repository's standard folders, found from the current directory or from where the runner was built.</summary>
public sealed record CoursePaths(string RepoRoot)
{
    /// <summary>notebooks/: the course's notebooks.</summary>
    public string Notebooks => Path.Combine(RepoRoot, "notebooks");

    /// <summary>artifacts/: build and run outputs.</summary>
    public string Artifacts => Path.Combine(RepoRoot, "artifacts");

    /// <summary>plotly.js as installed by `npm ci` in lib/Charts/web.</summary>
    public string PlotlyJs => Path.Combine(RepoRoot, "lib", "Charts", "web", "node_modules", "plotly.js-dist-min", "plotly.min.js");

    /// <summary>KaTeX's dist/ folder (katex.min.js, katex.min.css, fonts/) as installed by `npm ci` in lib/Charts/web.</summary>
    public string KatexDist => Path.Combine(RepoRoot, "lib", "Charts", "web", "node_modules", "katex", "dist");

    /// <summary>The repository holding the current directory (a folder with Course.sln), else the one the runner was built from.</summary>
    public static CoursePaths Find()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Course.sln")))
            {
                return new CoursePaths(dir.FullName);
            }
        }

        var builtFrom = typeof(CoursePaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "CourseRepoRoot")?.Value;
        return new CoursePaths(Path.GetFullPath(builtFrom ?? Environment.CurrentDirectory));
    }
}
