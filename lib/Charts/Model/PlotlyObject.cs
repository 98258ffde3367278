using System.Text.Json.Serialization;

namespace Course.Charts;

/// <summary>
/// Base of every part of a figure. The typed properties cover what the course uses; any other plotly.js
/// attribute can still be set by name with <see cref="Set"/> (written as-is into the JSON).
/// </summary>
public abstract class PlotlyObject
{
    /// <summary>Attributes the typed model does not name, keyed exactly as plotly.js spells them.</summary>
    [JsonExtensionData]
    public Dictionary<string, object?>? Extra { get; set; }

    /// <summary>Set a plotly.js attribute by its plotly name, e.g. <c>trace.Set("connectgaps", true)</c>.</summary>
    public void Set(string attribute, object? value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(attribute);
        (Extra ??= new Dictionary<string, object?>())[attribute] = value;
    }

    /// <summary>An attribute set with <see cref="Set"/>, or null.</summary>
    public object? Get(string attribute) => Extra is not null && Extra.TryGetValue(attribute, out var value) ? value : null;
}
