using System.Globalization;

namespace Course.Exercises.Framework;

/// <summary>How numbers, shapes and excerpts appear in check messages (invariant culture).</summary>
internal static class Format
{
    /// <summary>A value as a learner reads it: 6 significant digits, ∞ and NaN spelled out.</summary>
    public static string Number(double x) => x switch
    {
        double.PositiveInfinity => "∞",
        double.NegativeInfinity => "−∞",
        _ when double.IsNaN(x) => "NaN",
        0 => "0",
        _ => x.ToString("G6", CultureInfo.InvariantCulture).Replace("E", "e"),
    };

    /// <summary>Two values that must look different when they differ: more digits if 6 are not enough.</summary>
    public static (string Expected, string Got) Pair(double expected, double got)
    {
        string e = Number(expected), g = Number(got);
        if (e == g && expected != got)
            (e, g) = (expected.ToString("G9", CultureInfo.InvariantCulture), got.ToString("G9", CultureInfo.InvariantCulture));
        return (e, g);
    }

    /// <summary>A small positive quantity (error, tolerance): 2 significant digits in scientific notation.</summary>
    public static string Small(double x) =>
        double.IsNaN(x) ? "NaN" : double.IsInfinity(x) ? "∞" : x.ToString("0.0e+00", CultureInfo.InvariantCulture);

    public static string Shape(IEnumerable<int> shape) => $"[{string.Join(", ", shape)}]";

    /// <summary>An element of a boolean or numeric output.</summary>
    public static string Value(double x, bool boolean) => boolean ? (x != 0 ? "true" : "false") : Number(x);

    /// <summary>Up to <paramref name="max"/> values around <paramref name="center"/>, with … where cut.</summary>
    public static string Excerpt(ReadOnlySpan<double> values, int center, bool boolean, int max = 8)
    {
        int start = Math.Max(0, Math.Min(center - max / 2, values.Length - max));
        int end = Math.Min(values.Length, start + max);
        var parts = new List<string>();
        if (start > 0) parts.Add("…");
        for (int i = start; i < end; i++) parts.Add(Value(values[i], boolean));
        if (end < values.Length) parts.Add("…");
        return $"[{string.Join(", ", parts)}]";
    }
}
