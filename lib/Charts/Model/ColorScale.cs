using System.Text.Json;
using System.Text.Json.Serialization;

namespace Course.Charts;

/// <summary>
/// A plotly color scale: either a named scale ("Blues", "Viridis", "RdBu"…) or explicit stops
/// (position in [0, 1], CSS color), written as plotly's <c>[[0, "#fff"], [1, "#000"]]</c>.
/// A string converts implicitly: <c>trace.ColorScale = "Viridis"</c>.
/// </summary>
[JsonConverter(typeof(ColorScaleConverter))]
public sealed class ColorScale
{
    private ColorScale(string? name, (double Position, string Color)[]? stops)
    {
        Name = name;
        Stops = stops;
    }

    public string? Name { get; }
    public IReadOnlyList<(double Position, string Color)>? Stops { get; }

    public static ColorScale Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new(name, null);
    }

    /// <summary>Explicit stops; positions must rise from 0 to 1.</summary>
    public static ColorScale FromStops(params (double Position, string Color)[] stops)
    {
        if (stops.Length < 2 || stops[0].Position != 0 || stops[^1].Position != 1)
            throw new ArgumentException($"A color scale needs at least two stops from position 0 to position 1; got {stops.Length} stop(s).", nameof(stops));
        for (var i = 1; i < stops.Length; i++)
            if (stops[i].Position < stops[i - 1].Position)
                throw new ArgumentException($"Color scale positions must not decrease: stop {i} is at {stops[i].Position} after {stops[i - 1].Position}.", nameof(stops));
        return new(null, (((double, string)[])stops.Clone()));
    }

    /// <summary>Two flat colors, split at the middle: values below 0.5 get <paramref name="low"/>, above get <paramref name="high"/> (for 0/1 data such as masks).</summary>
    public static ColorScale TwoColors(string low, string high) =>
        FromStops((0, low), (0.5, low), (0.5, high), (1, high));

    public static implicit operator ColorScale(string name) => Named(name);
}

internal sealed class ColorScaleConverter : JsonConverter<ColorScale>
{
    public override ColorScale Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Figures are written for plotly.js, not read back.");

    public override void Write(Utf8JsonWriter writer, ColorScale value, JsonSerializerOptions options)
    {
        if (value.Name is { } name)
        {
            writer.WriteStringValue(name);
            return;
        }
        writer.WriteStartArray();
        foreach (var (position, color) in value.Stops!)
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(position);
            writer.WriteStringValue(color);
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
    }
}
