using System.Text.Json;
using System.Text.Json.Serialization;

namespace Course.Charts;

/// <summary>
/// How figures become plotly JSON. plotly.js spells attributes in lower case without separators
/// (hovertemplate, zmin, showscale), so C# names are simply lower-cased; the two exceptions with
/// underscores (plot_bgcolor, paper_bgcolor) carry their own name. Nulls are left out, so plotly's
/// defaults apply. Non-finite numbers become null (a gap in plotly). Integers are written exactly; other
/// numbers with float32 precision (the library's storage type: "0.33333334", not "0.3333333333333333"),
/// which keeps notebooks small.
/// </summary>
public static class PlotlyJson
{
    /// <summary>Compact output (notebooks, pages).</summary>
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    /// <summary>Indented output (reading, debugging).</summary>
    public static JsonSerializerOptions IndentedOptions { get; } = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = new LowerCaseNamingPolicy(),
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = indented,
            // The default encoder escapes <, >, &, quotes and non-ASCII: the JSON can sit inside a <script> as is.
        };
        options.Converters.Add(new PlotlyDoubleConverter());
        options.Converters.Add(new PlotlySingleConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Write a number the way plotly should receive it (null for NaN/±∞).</summary>
    internal static void WriteNumber(Utf8JsonWriter writer, double value)
    {
        if (!double.IsFinite(value))
        {
            writer.WriteNullValue();
            return;
        }
        if (value == Math.Floor(value) && Math.Abs(value) < 9007199254740992d)
        {
            writer.WriteNumberValue(value); // integers (lengths, byte counts) stay exact
            return;
        }
        var single = (float)value;
        if (float.IsFinite(single) && (single != 0 || value == 0)) writer.WriteNumberValue(single); // shortest float32 text
        else writer.WriteNumberValue(value); // beyond float32's range: keep the double

    }

    private sealed class LowerCaseNamingPolicy : JsonNamingPolicy
    {
        public override string ConvertName(string name) => name.ToLowerInvariant();
    }

    private sealed class PlotlyDoubleConverter : JsonConverter<double>
    {
        public override bool HandleNull => false;
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();
        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => WriteNumber(writer, value);
    }

    private sealed class PlotlySingleConverter : JsonConverter<float>
    {
        public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetSingle();
        public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options) => WriteNumber(writer, value);
    }
}
