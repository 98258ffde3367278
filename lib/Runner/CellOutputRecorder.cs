using System.Runtime.CompilerServices;
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
/// <remarks>
/// <para>
/// Two kinds of display handle reach the runner. <c>KernelInvocationContext.Current.Display(x)</c> publishes
/// <see cref="DisplayedValueProduced"/> with the id of the handle it returns, so the handle's updates name the output
/// they replace. <c>display(x)</c> and <c>x.Display()</c> (Microsoft.DotNet.Interactive.Formatting 1.0.0-beta.26120.1,
/// <c>System.DisplayExtensions.Display</c>) do not: they raise the display for one <c>DisplayedValue</c> and return a
/// second one, built from the same formatted values, whose lazily drawn <c>DisplayId</c> no produced event ever
/// carried. Its <c>Update(y)</c> arrives as <see cref="DisplayedValueUpdated"/> with that unknown id and with the mime
/// types of the original display, re-formatted. (VS Code's Polyglot Notebooks then adds a second output.)
/// </para>
/// <para>
/// The first update of an unknown id is therefore matched to a display of the same cell that no handle has claimed
/// yet and that has exactly the same mime types, and only when there is one such display: with two candidates a guess
/// could put one handle's value in the other's place, so the update is shown as a new output instead. From then on
/// the id is known and its later updates, in any cell, patch that output.
/// </para>
/// <para>
/// A handle kept in a variable and first updated in a later cell is linked exactly instead: after each cell,
/// <see cref="LinkHandles"/> looks at the notebook's variables; a handle not updated yet still holds the very list of
/// formatted values its display was produced with, which names the output, and reading its id fixes the id its
/// updates will carry.
/// </para>
/// </remarks>
internal sealed class CellOutputRecorder
{
    private readonly Dictionary<string, JsonObject> _displaysById = new();
    private readonly Lock _lock = new();

    // This cell's displays that an update of an unknown id may belong to: produced, never updated, unclaimed.
    private readonly List<Unclaimed> _unclaimed = new();

    // Each produced display's formatted-values list (by reference) -> its output, for LinkHandles; weak, so the
    // formatted values live only as long as the kernel keeps them.
    private readonly ConditionalWeakTable<object, JsonObject> _displaysByFormattedValues = new();
    private JsonArray _outputs = new();
    private int _executionCount;

    /// <summary>Starts recording a new cell; returns the array its outputs go into.</summary>
    public JsonArray StartCell(int executionCount)
    {
        lock (_lock)
        {
            _outputs = new JsonArray();
            _executionCount = executionCount;
            _unclaimed.Clear();
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
                    _unclaimed.RemoveAll(u => ReferenceEquals(u.Output, shown));
                    break;
                case DisplayedValueUpdated { ValueId: { } newId } firstUpdate when ClaimDisplayOf(firstUpdate) is { } claimed:
                    claimed["data"] = MimeBundle(firstUpdate);
                    _displaysById[newId] = claimed;
                    break;
                case DisplayedValueProduced displayed:
                    if (AddDisplay(displayed, "display_data") is { } output)
                    {
                        _unclaimed.Add(new Unclaimed(output, MimeTypes(displayed)));
                        _displaysByFormattedValues.AddOrUpdate(displayed.FormattedValues, output);
                    }

                    break;
                case DisplayedValueUpdated updatedUnknown:
                    // No single display this update can belong to: show it where it happened rather than guess.
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

    /// <summary>
    /// Links the <c>display(...)</c> handles among <paramref name="variableValues"/> (the notebook's variables after a
    /// cell) that have not been updated yet to the outputs they display, so that their updates patch those outputs.
    /// </summary>
    public void LinkHandles(IEnumerable<object?> variableValues)
    {
        lock (_lock)
        {
            foreach (var handle in variableValues.OfType<DisplayedValue>().Where(h => !h.IsUpdated))
            {
                if (_displaysByFormattedValues.TryGetValue(handle.FormattedValues, out var output))
                {
                    _displaysById[handle.DisplayId] = output;
                    _unclaimed.RemoveAll(u => ReferenceEquals(u.Output, output));
                }
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

    /// <summary>
    /// The output an update with an unknown id replaces: this cell's only unclaimed display with the same mime types
    /// (see the remarks on the class), now claimed; null when there is none or more than one.
    /// </summary>
    private JsonObject? ClaimDisplayOf(DisplayedValueUpdated update)
    {
        var mimeTypes = MimeTypes(update);
        var candidates = _unclaimed.Where(u => u.MimeTypes.SequenceEqual(mimeTypes, StringComparer.Ordinal)).Take(2).ToList();
        if (candidates.Count != 1)
        {
            return null;
        }

        _unclaimed.Remove(candidates[0]);
        return candidates[0].Output;
    }

    private static string[] MimeTypes(DisplayEvent display) =>
        display.FormattedValues.Select(v => v.MimeType).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Adds a display output and returns it, or returns null when the display has nothing to show.</summary>
    private JsonObject? AddDisplay(DisplayEvent display, string outputType)
    {
        var data = MimeBundle(display);
        if (data.Count == 0)
        {
            return null;
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

        return output;
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

    /// <summary>A display output of the current cell with the sorted mime types of the event that produced it.</summary>
    private sealed record Unclaimed(JsonObject Output, string[] MimeTypes);

    private static JsonObject Error(string name, string value, IEnumerable<string> traceback) => new()
    {
        ["ename"] = name,
        ["evalue"] = value,
        ["output_type"] = "error",
        ["traceback"] = new JsonArray(traceback.Select(line => (JsonNode?)JsonValue.Create(line)).ToArray()),
    };
}
