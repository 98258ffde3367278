namespace Course.Notebook;

/// <summary>Finds the local plotly.min.js: next to the course DLLs (the build copies it there), else in the repository's npm folder.</summary>
internal static class PlotlyScriptLocator
{
    public const string FileName = "plotly.min.js";
    private static readonly string RepositoryRelativePath = Path.Combine("lib", "Charts", "web", "node_modules", "plotly.js-dist-min", FileName);

    public static string Find(string? explicitPath)
    {
        if (explicitPath is not null)
        {
            if (File.Exists(explicitPath)) return Path.GetFullPath(explicitPath);
            throw new FileNotFoundException($"No plotly.js at the given path {explicitPath}.", explicitPath);
        }
        var searched = new List<string> { Path.Combine(CourseNotebook.CourseLibDirectory, FileName) };
        // artifacts/course-lib/ sits two levels under the repository root; look upwards for lib/Charts/web/node_modules.
        for (var dir = new DirectoryInfo(CourseNotebook.CourseLibDirectory); dir is not null; dir = dir.Parent)
            searched.Add(Path.Combine(dir.FullName, RepositoryRelativePath));
        return searched.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                "plotly.min.js was not found. Run `npm ci` in lib/Charts/web and rebuild lib/Notebook (it copies the file into artifacts/course-lib), " +
                "or pass the file's path to UseOfflineCharts. Looked in: " + string.Join(", ", searched.Take(4)) + (searched.Count > 4 ? ", …" : "."),
                FileName);
    }
}
