using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Course.Runner;

/// <summary>
/// Reads and writes Jupyter notebooks (nbformat 4.x, the form Polyglot Notebooks saves) as plain JSON,
/// so that running a notebook changes only its outputs and execution counts and keeps everything else.
/// </summary>
public static class Ipynb
{
    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        // Outputs hold HTML and scripts: keep '<', '>' and '&' readable instead of \u003C escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Parses a notebook file; throws <see cref="InvalidDataException"/> naming the file if it is not an nbformat 4 notebook.</summary>
    public static JsonObject Load(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }

        if (root is not JsonObject notebook || notebook["cells"] is not JsonArray)
        {
            throw new InvalidDataException($"{path} is not a Jupyter notebook: it has no \"cells\" array.");
        }

        return notebook;
    }

    /// <summary>Writes a notebook deterministically: same content, same bytes (one-space indent, LF, final newline).</summary>
    public static void Save(JsonObject notebook, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, ToJson(notebook), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    /// <summary>The notebook as nbformat JSON text.</summary>
    public static string ToJson(JsonObject notebook) =>
        notebook.ToJsonString(WriteOptions).ReplaceLineEndings("\n") + "\n";

    /// <summary>The cells of a notebook, in order.</summary>
    public static IReadOnlyList<JsonObject> Cells(JsonObject notebook) =>
        notebook["cells"]!.AsArray().OfType<JsonObject>().ToList();

    /// <summary>"code", "markdown" or "raw".</summary>
    public static string CellType(JsonObject cell) => cell["cell_type"]?.GetValue<string>() ?? "";

    /// <summary>A cell's source as one string (nbformat allows a string or a list of lines).</summary>
    public static string Source(JsonObject cell) => MultilineText(cell["source"]);

    /// <summary>Joins an nbformat multiline string (a string or an array of strings).</summary>
    public static string MultilineText(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue value when value.TryGetValue(out string? text) => text,
        _ => node.ToJsonString(),
    };

    /// <summary>Splits text into nbformat's list of lines, each keeping its "\n" (the last one may lack it).</summary>
    public static JsonArray ToLines(string text)
    {
        var lines = new JsonArray();
        int start = 0;
        while (start < text.Length)
        {
            int newline = text.IndexOf('\n', start);
            int end = newline < 0 ? text.Length : newline + 1;
            lines.Add(text[start..end]);
            start = end;
        }

        return lines;
    }

    /// <summary>
    /// The kernel a code cell runs in: the cell's Polyglot metadata, else the older dotnet_interactive metadata,
    /// else the notebook's default kernel, else "csharp".
    /// </summary>
    public static string KernelName(JsonObject notebook, JsonObject cell)
    {
        var metadata = cell["metadata"];
        return metadata?["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
               ?? metadata?["dotnet_interactive"]?["language"]?.GetValue<string>()
               ?? notebook["metadata"]?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>()
               ?? "csharp";
    }

    /// <summary>The text of the first markdown heading in the notebook, or null when it has none.</summary>
    public static string? Title(JsonObject notebook)
    {
        foreach (var cell in Cells(notebook).Where(c => CellType(c) == "markdown"))
        {
            foreach (var line in Source(cell).Split('\n'))
            {
                var trimmed = line.Trim();
                if (trimmed.StartsWith('#'))
                {
                    var title = trimmed.TrimStart('#').Trim();
                    if (title.Length > 0)
                    {
                        return title;
                    }
                }
            }
        }

        return null;
    }
}
