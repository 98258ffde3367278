namespace Course.Exercises.Framework;

/// <summary>
/// One output of an exercise: its name in messages, the symbols of its shape (e.g. ["n_q", "n_k"]) and the words
/// for its indices (e.g. ["query", "key"]).
/// </summary>
internal sealed record OutputSpec(string Name, params string[] Symbols)
{
    /// <summary>Words for each index ("query", "key"); null means none are added.</summary>
    public string[]? Axes { get; init; }

    /// <summary>The first index selects an array element: Name[h][i, j] (an array of matrices, a list of vectors).</summary>
    public bool Jagged { get; init; }

    /// <summary>Values are true/false (stored as 1/0).</summary>
    public bool Boolean { get; init; }

    /// <summary>"weights[2, 3] (query 2, key 3)".</summary>
    public string Index(int[] index)
    {
        if (index.Length == 0) return Name;
        string text = Jagged
            ? $"{Name}[{index[0]}]" + (index.Length > 1 ? $"[{string.Join(", ", index.Skip(1))}]" : "")
            : $"{Name}[{string.Join(", ", index)}]";
        if (Axes is { } axes && axes.Length == index.Length)
            text += $" ({string.Join(", ", axes.Select((axis, i) => $"{axis} {index[i]}"))})";
        return text;
    }

    /// <summary>The expected shape with its symbols: "[n_q, n_k] = [3, 5]".</summary>
    public string ExpectedShape(int[] shape)
    {
        if (Jagged && shape.Length >= 2)
        {
            string inner = Symbols.Length == shape.Length
                ? $"[{string.Join(", ", Symbols.Skip(1))}] = {Format.Shape(shape.Skip(1))}"
                : Format.Shape(shape.Skip(1));
            string count = Symbols.Length == shape.Length ? $"{Symbols[0]} = {shape[0]}" : $"{shape[0]}";
            return $"{count} {Kind(shape)} of {inner}";
        }
        return Symbols.Length == shape.Length && shape.Length > 0
            ? $"[{string.Join(", ", Symbols)}] = {Format.Shape(shape)}"
            : Format.Shape(shape);
    }

    /// <summary>An observed shape: "[5, 3]", or "2 matrices of [4, 3]".</summary>
    public string ObservedShape(int[] shape) =>
        Jagged && shape.Length >= 2 ? $"{shape[0]} {Kind(shape)} of {Format.Shape(shape.Skip(1))}" : Format.Shape(shape);

    private static string Kind(int[] shape) => (shape.Length == 2, shape[0] == 1) switch
    {
        (true, true) => "vector",
        (true, false) => "vectors",
        (false, true) => "matrix",
        (false, false) => "matrices",
    };
}
