namespace Course.Charts;

public static partial class Chart
{
    /// <summary>
    /// Named lines on shared axes (softmax of a vector as the temperature changes, a saturating exp, a loss…).
    /// </summary>
    /// <param name="series">At least one; each with X and Y of equal length.</param>
    /// <param name="title">Figure title.</param>
    /// <param name="xTitle">x axis title.</param>
    /// <param name="yTitle">y axis title.</param>
    /// <param name="logX">Logarithmic x axis (every finite x must be positive).</param>
    /// <param name="logY">Logarithmic y axis (every finite y must be positive).</param>
    public static Figure Lines(IReadOnlyList<Series> series, string? title = null, string? xTitle = null, string? yTitle = null,
        bool logX = false, bool logY = false)
    {
        CheckSeries(series, logX, logY);
        var figure = new Figure
        {
            Layout = new Layout
            {
                Title = title is null ? null : (Title)title,
                XAxis = new Axis { Title = xTitle is null ? null : (Title)xTitle, Type = logX ? "log" : null },
                YAxis = new Axis { Title = yTitle is null ? null : (Title)yTitle, Type = logY ? "log" : null },
                HoverMode = "x unified",
                Height = 420,
            },
        };
        foreach (var s in series)
        {
            figure.Data.Add(new ScatterTrace
            {
                Name = s.Name,
                X = s.X,
                Y = s.Y,
                Mode = s.Markers ? "lines+markers" : "lines",
                Line = new Line { Dash = s.Dashed ? "dash" : null, Color = s.Color },
            });
        }
        return figure;
    }

    /// <summary>
    /// How cost grows with size, on log-log axes: one line per implementation (time or memory against sequence length),
    /// plus optional dashed guides ∝ n^p through the first point of the first series, so a slope reads as an exponent.
    /// </summary>
    /// <param name="series">Measurements: X = sizes, Y = costs, all positive.</param>
    /// <param name="yTitle">What was measured, with its unit.</param>
    /// <param name="xTitle">The size that grows.</param>
    /// <param name="title">Figure title.</param>
    /// <param name="guideExponents">Exponents p of the guides, e.g. [1, 2] for ∝ n and ∝ n².</param>
    public static Figure Scaling(IReadOnlyList<Series> series, string yTitle = "time (ms)", string xTitle = "sequence length n",
        string? title = null, IReadOnlyList<double>? guideExponents = null)
    {
        var marked = series?.Select(s => s with { Markers = true }).ToList() ?? throw new ArgumentNullException(nameof(series));
        var figure = Lines(marked, title, xTitle, yTitle, logX: true, logY: true);
        figure.Layout.HoverMode = "closest";
        if (guideExponents is { Count: > 0 })
        {
            var first = series[0];
            var xs = first.X.Numbers ?? throw new ArgumentException($"series[0] (\"{first.Name}\") needs numeric sizes for guides.", nameof(series));
            var anchor = Array.FindIndex(xs, x => double.IsFinite(x));
            while (anchor >= 0 && anchor < xs.Length && !(double.IsFinite(xs[anchor]) && double.IsFinite(first.Y.NumberAt(anchor)))) anchor++;
            if (anchor < 0 || anchor >= xs.Length)
                throw new ArgumentException($"series[0] (\"{first.Name}\") has no finite point to anchor the guides.", nameof(series));
            var (x0, y0) = (xs[anchor], first.Y.NumberAt(anchor));
            string[] dashes = ["dot", "dash", "dashdot", "longdash"];   // one style per guide, so n and n² look different
            foreach (var (p, g) in guideExponents.Select((p, g) => (p, g)))
                figure.Data.Add(new ScatterTrace
                {
                    Name = "∝ " + PowerLabel(p),
                    X = xs,
                    Y = xs.Select(x => y0 * Math.Pow(x / x0, p)).ToArray(),
                    Mode = "lines",
                    Line = new Line { Dash = dashes[g % dashes.Length], Color = "#888888", Width = 1 },
                    HoverTemplate = "%{y:.3g}<extra>∝ " + PowerLabel(p) + "</extra>",
                });
        }
        return figure;
    }

    private static string PowerLabel(double p) => p switch
    {
        1 => "n",
        2 => "n²",
        3 => "n³",
        _ => "n^" + p.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static void CheckSeries(IReadOnlyList<Series> series, bool logX, bool logY)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0) throw new ArgumentException("series is empty; give at least one line.", nameof(series));
        for (var s = 0; s < series.Count; s++)
        {
            var line = series[s] ?? throw new ArgumentException($"series[{s}] is null.", nameof(series));
            if (line.X.Count != line.Y.Count)
                throw new ArgumentException($"series[{s}] (\"{line.Name}\") has {line.X.Count} x values but {line.Y.Count} y values.", nameof(series));
            if (line.Y.IsText) throw new ArgumentException($"series[{s}] (\"{line.Name}\") has text y values; a line needs numbers.", nameof(series));
            if (logX) CheckPositive(line.X, s, line.Name, "x");
            if (logY) CheckPositive(line.Y, s, line.Name, "y");
        }
    }

    private static void CheckPositive(DataArray values, int index, string name, string axis)
    {
        if (values.Numbers is not { } numbers)
            throw new ArgumentException($"series[{index}] (\"{name}\") has text {axis} values, which a log axis cannot place.", "series");
        for (var i = 0; i < numbers.Length; i++)
            if (double.IsFinite(numbers[i]) && numbers[i] <= 0)
                throw new ArgumentException($"series[{index}] (\"{name}\") has {axis}[{i}] = {numbers[i]}, which a log axis cannot show (values must be > 0).", "series");
    }
}
