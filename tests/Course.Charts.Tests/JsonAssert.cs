using System.Text.Json;
using Course.Charts;

namespace Course.Charts.Tests;

/// <summary>Reads figures back as plain JSON, the way plotly.js sees them.</summary>
internal static class JsonAssert
{
    public static JsonElement Parse(Figure figure) => JsonDocument.Parse(figure.ToJson()).RootElement.Clone();

    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    public static double[] Numbers(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static JsonElement[] Items(JsonElement array) => array.EnumerateArray().ToArray();

    /// <summary>Every property name anywhere in <paramref name="element"/>.</summary>
    public static IEnumerable<string> PropertyNames(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
            foreach (var property in element.EnumerateObject())
            {
                yield return property.Name;
                foreach (var inner in PropertyNames(property.Value)) yield return inner;
            }
        else if (element.ValueKind == JsonValueKind.Array)
            foreach (var item in element.EnumerateArray())
                foreach (var inner in PropertyNames(item)) yield return inner;
    }

    /// <summary>Paths of object properties whose value is null (plotly would read them as "unset to null", not "default").</summary>
    public static IEnumerable<string> NullProperties(JsonElement element, string path = "$")
    {
        if (element.ValueKind == JsonValueKind.Object)
            foreach (var property in element.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Null) yield return path + "." + property.Name;
                foreach (var inner in NullProperties(property.Value, path + "." + property.Name)) yield return inner;
            }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
                foreach (var inner in NullProperties(item, $"{path}[{i++}]")) yield return inner;
        }
    }
}
