using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace Course.Runner;

/// <summary>
/// Turns the kernel events of one notebook's cells into nbformat 4.5 outputs: stream, display_data,
/// execute_result and error. Displays are remembered by value id for the whole notebook, so a
/// <see cref="DisplayedValueUpdated"/> patches the output it updates, even in an earlier cell.
/// </summary>
internal sealed class CellOutputRecorder
{
    private readonly Dictionary<string, JsonObject> _displaysById = new();
    private readonly Lock _lock = new();
    private JsonArray _outputs = new();
    private int _executionCount;

    /// <summary>Starts recording a new cell; returns the array its outputs go into.</summary>
    public JsonArray StartCell(int executionCount)
    {
        lock (_lock)
        {
            _outputs = new JsonArray();
            _executionCount = executionCount;
            return _outputs;
        }
    }

    /// <summary>Records one kernel event (called on the kernel's threads).</summary>
    public void Record(KernelEvent kernelEvent)
    {
        lock (_lock)
        {
            switch (kernelEvent)
            {
                case StandardOutputValueProduced stdout:
                    AppendStream("stdout", PlainText(stdout));
                    break;
                case StandardErrorValueProduced stderr:
                    AppendStream("stderr", PlainText(stderr));
                    break;
                case ErrorProduced error:
                    _outputs.Add(Error("Error", error.Message, []));
                    break;
                case DisplayedValueUpdated updated when updated.ValueId is { } id && _displaysById.TryGetValue(id, out var shown):
                    shown["data"] = MimeBundle(updated);
                    break;
                case DisplayedValueProduced displayed:
                    AddDisplay(displayed, "display_data");
                    break;
                case DisplayedValueUpdated updatedUnknown:
                    // An update of a value this run never saw displayed: show it where it happened. (Kernel.display(x)
                    // returns a handle whose id differs from the displayed one, so its Update lands here.)
                    AddDisplay(updatedUnknown, "display_data");
                    break;
                case ReturnValueProduced returned when returned.Value is not DisplayedValue:
                    AddDisplay(returned, "execute_result");
                    break;
                case CommandFailed failed:
                    var exception = failed.Exception;
                    _outputs.Add(Error(
                        exception?.GetType().Name ?? "Error",
                        exception?.Message ?? failed.Message,
                        failed.Message.ReplaceLineEndings("\n").Split('\n')));
                    break;
            }
        }
    }

    /// <summary>Adds an error output that did not come from the kernel (a timeout).</summary>
    public void RecordError(string name, string message)
    {
        lock (_lock)
        {
            _outputs.Add(Error(name, message, [message]));
        }
    }

    private void AddDisplay(DisplayEvent display, string outputType)
    {
        var data = MimeBundle(display);
        if (data.Count == 0)
        {
            return;
        }

        var output = new JsonObject { ["data"] = data };
        if (outputType == "execute_result")
        {
            output["execution_count"] = _executionCount;
        }

        output["metadata"] = new JsonObject();
        output["output_type"] = outputType;
        _outputs.Add(output);

        if (display.ValueId is { } id)
        {
            _displaysById[id] = output;
        }
    }

    private void AppendStream(string name, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        // Consecutive writes to one stream form one output, as in Jupyter.
        if (_outputs.Count > 0 && _outputs[^1] is JsonObject last
            && last["output_type"]?.GetValue<string>() == "stream" && last["name"]?.GetValue<string>() == name)
        {
            last["text"] = Ipynb.ToLines(Ipynb.MultilineText(last["text"]) + text);
            return;
        }

        _outputs.Add(new JsonObject { ["name"] = name, ["output_type"] = "stream", ["text"] = Ipynb.ToLines(text) });
    }

    private static string PlainText(DisplayEvent display) =>
        display.FormattedValues.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType)?.Value
        ?? display.Value?.ToString()
        ?? "";

    /// <summary>All mime types of a display; JSON mime types (…json, …+json) are stored as JSON, not as strings.</summary>
    private static JsonObject MimeBundle(DisplayEvent display)
    {
        var data = new JsonObject();
        foreach (var value in display.FormattedValues.Where(v => !v.SuppressDisplay).OrderBy(v => v.MimeType, StringComparer.Ordinal))
        {
            data[value.MimeType] = IsJsonMimeType(value.MimeType) && TryParseJson(value.Value) is { } json
                ? json
                : Ipynb.ToLines(value.Value ?? "");
        }

        return data;
    }

    /// <summary>True for application/json and every application/*+json type (plotly's application/vnd.plotly.v1+json).</summary>
    public static bool IsJsonMimeType(string mimeType) =>
        mimeType == "application/json" || (mimeType.StartsWith("application/", StringComparison.Ordinal) && mimeType.EndsWith("+json", StringComparison.Ordinal));

    private static JsonNode? TryParseJson(string? text)
    {
        try
        {
            return text is null ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonObject Error(string name, string value, IEnumerable<string> traceback) => new()
    {
        ["ename"] = name,
        ["evalue"] = value,
        ["output_type"] = "error",
        ["traceback"] = new JsonArray(traceback.Select(line => (JsonNode?)JsonValue.Create(line)).ToArray()),
    };
}
