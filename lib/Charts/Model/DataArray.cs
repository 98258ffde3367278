using System.Text.Json;
using System.Text.Json.Serialization;

namespace Course.Charts;

/// <summary>
/// One data column of a trace (plotly's x, y, tickvals…): either numbers or text labels.
/// Arrays convert implicitly, so <c>trace.X = new[] { "the", "cat" }</c> and <c>trace.Y = floats</c> both work.
/// Non-finite numbers (NaN, ±∞) are written as JSON null, which plotly.js draws as a gap.
/// </summary>
[JsonConverter(typeof(DataArrayConverter))]
public sealed class DataArray
{
    private DataArray(double[]? numbers, string[]? labels)
    {
        Numbers = numbers;
        Labels = labels;
    }

    /// <summary>The numbers, when this column holds numbers; otherwise null.</summary>
    public double[]? Numbers { get; }

    /// <summary>The labels, when this column holds text; otherwise null.</summary>
    public string[]? Labels { get; }

    /// <summary>How many values the column holds.</summary>
    public int Count => Numbers?.Length ?? Labels!.Length;

    /// <summary>True when the column holds text labels (a categorical axis).</summary>
    public bool IsText => Labels is not null;

    public static DataArray Of(IEnumerable<double> numbers) => new(numbers.ToArray(), null);
    public static DataArray Of(IEnumerable<float> numbers) => new(numbers.Select(v => (double)v).ToArray(), null);
    public static DataArray Of(IEnumerable<int> numbers) => new(numbers.Select(v => (double)v).ToArray(), null);
    public static DataArray Of(IEnumerable<string> labels) => new(null, labels.ToArray());
    public static DataArray Of(ReadOnlySpan<float> numbers)
    {
        var copy = new double[numbers.Length];
        for (var i = 0; i < numbers.Length; i++) copy[i] = numbers[i];
        return new(copy, null);
    }

    public static implicit operator DataArray(double[] numbers) => new((double[])numbers.Clone(), null);
    public static implicit operator DataArray(float[] numbers) => Of(numbers);
    public static implicit operator DataArray(int[] numbers) => Of(numbers);
    public static implicit operator DataArray(string[] labels) => new(null, (string[])labels.Clone());
    public static implicit operator DataArray(List<double> numbers) => Of(numbers);
    public static implicit operator DataArray(List<float> numbers) => Of(numbers);
    public static implicit operator DataArray(List<string> labels) => Of(labels);

    /// <summary>The value at <paramref name="index"/> as a number (NaN for text).</summary>
    public double NumberAt(int index) => Numbers is { } n ? n[index] : double.NaN;
}

internal sealed class DataArrayConverter : JsonConverter<DataArray>
{
    public override DataArray Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Figures are written for plotly.js, not read back.");

    public override void Write(Utf8JsonWriter writer, DataArray value, JsonSerializerOptions options)
    {
        if (value.Labels is { } labels) JsonSerializer.Serialize(writer, labels, options);
        else JsonSerializer.Serialize(writer, value.Numbers, options);
    }
}
