using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Notebook;

/// <summary>
/// The course's running example, read from <c>data/example-sentence.json</c> (format in data/README.md): the sentence,
/// its word-level tokens, hand-made feature embeddings X [n, d_model] and hand-built attention heads.
/// Nothing in it was learned; every number was chosen by hand so that the mechanism is easy to see.
/// </summary>
public sealed class ExampleSentence
{
    /// <summary>The format this reader understands (the file's "format" key).</summary>
    public const string Format = "attention-course example sentence, version 1";

    private readonly IReadOnlyDictionary<string, ExampleHead> _heads;

    private ExampleSentence(string sentence, string[] tokens, string[] features, string[] featureMeanings,
        Matrix<float> embeddings, IReadOnlyDictionary<string, ExampleHead> heads)
    {
        Sentence = sentence;
        Tokens = tokens;
        Features = features;
        FeatureMeanings = featureMeanings;
        X = embeddings;
        _heads = heads;
    }

    /// <summary>The sentence as text.</summary>
    public string Sentence { get; }

    /// <summary>Word-level tokens, [n].</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>The name of each embedding dimension, [d_model].</summary>
    public IReadOnlyList<string> Features { get; }

    /// <summary>One line per embedding dimension saying what it encodes, [d_model].</summary>
    public IReadOnlyList<string> FeatureMeanings { get; }

    /// <summary>The embeddings X [n, d_model]: row i belongs to token i. A copy each time, so a notebook may change it.</summary>
    public Matrix<float> X { get => field.Clone(); private init; }

    /// <summary>Number of tokens n.</summary>
    public int Length => Tokens.Count;

    /// <summary>The names of the hand-built heads, in file order.</summary>
    public IReadOnlyList<string> HeadNames => [.. _heads.Keys];

    /// <summary>The position of <paramref name="token"/> (its first occurrence).</summary>
    /// <exception cref="ArgumentException">The sentence has no such token.</exception>
    public int IndexOf(string token)
    {
        for (var i = 0; i < Tokens.Count; i++)
            if (Tokens[i] == token) return i;
        throw new ArgumentException($"The example has no token \"{token}\"; its tokens are: {string.Join(" | ", Tokens)}.", nameof(token));
    }

    /// <summary>A hand-built head by name (e.g. "coreference", "time-contrast", "diagnosis", "reader", "verb-arguments").</summary>
    /// <exception cref="ArgumentException">No head has that name.</exception>
    public ExampleHead Head(string name) =>
        _heads.TryGetValue(name, out var head)
            ? head
            : throw new ArgumentException($"The example has no head \"{name}\"; its heads are: {string.Join(", ", _heads.Keys)}.", nameof(name));

    /// <summary>Read the example from the course's data folder (default: ../data/example-sentence.json, the path from notebooks/).</summary>
    public static ExampleSentence Load(string path = "../data/example-sentence.json")
    {
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"The running example was not found at {Path.GetFullPath(path)}. Notebooks run from the notebooks/ folder and read ../data/.", path);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var format = root.GetProperty("format").GetString();
        if (format != Format)
            throw new InvalidDataException($"{path} has format \"{format}\"; this reader understands \"{Format}\".");

        var tokens = Strings(root.GetProperty("tokens"));
        var features = Strings(root.GetProperty("features"));
        var embeddings = Matrix(root.GetProperty("embeddings"), "embeddings");
        if (embeddings.RowCount != tokens.Length || embeddings.ColumnCount != features.Length)
            throw new InvalidDataException(
                $"{path}: embeddings are [{embeddings.RowCount}, {embeddings.ColumnCount}] but there are {tokens.Length} tokens and {features.Length} features.");

        var heads = new Dictionary<string, ExampleHead>();
        foreach (var head in root.GetProperty("heads").EnumerateArray())
        {
            var name = head.GetProperty("name").GetString()!;
            heads[name] = new ExampleHead(
                name,
                head.GetProperty("question").GetString()!,
                head.GetProperty("reading").GetString()!,
                Matrix(head.GetProperty("W_Q"), $"{name}.W_Q"),
                Matrix(head.GetProperty("W_K"), $"{name}.W_K"),
                Matrix(head.GetProperty("W_V"), $"{name}.W_V"),
                Strings(head.GetProperty("value_features")));
        }

        return new ExampleSentence(
            root.GetProperty("sentence").GetString()!, tokens, features,
            Strings(root.GetProperty("feature_meanings")), embeddings, heads);
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static Matrix<float> Matrix(JsonElement rows, string what)
    {
        var data = rows.EnumerateArray().Select(row => row.EnumerateArray().Select(x => x.GetSingle()).ToArray()).ToArray();
        if (data.Length == 0 || data.Any(r => r.Length != data[0].Length))
            throw new InvalidDataException($"{what} must be a non-empty rectangular array of rows.");
        return Matrix<float>.Build.DenseOfRowArrays(data);
    }
}

/// <summary>
/// One hand-built attention head of the running example: Q = X·<see cref="WQ"/>, K = X·<see cref="WK"/>,
/// V = X·<see cref="WV"/>, with W_Q, W_K [d_model, d_k] and W_V [d_model, d_v]. Matrices are copies, free to change.
/// </summary>
public sealed record ExampleHead(
    string Name, string Question, string Reading,
    Matrix<float> WQ, Matrix<float> WK, Matrix<float> WV,
    IReadOnlyList<string> ValueFeatures)
{
    /// <summary>W_Q [d_model, d_k].</summary>
    public Matrix<float> WQ { get => field.Clone(); init; } = WQ;

    /// <summary>W_K [d_model, d_k].</summary>
    public Matrix<float> WK { get => field.Clone(); init; } = WK;

    /// <summary>W_V [d_model, d_v].</summary>
    public Matrix<float> WV { get => field.Clone(); init; } = WV;

    /// <summary>The key width d_k.</summary>
    public int KeyDim => WQ.ColumnCount;

    /// <summary>The value width d_v.</summary>
    public int ValueDim => WV.ColumnCount;
}
