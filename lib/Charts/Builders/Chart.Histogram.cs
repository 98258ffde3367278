namespace Course.Charts;

public static partial class Chart
{
    /// <summary>The distribution of one sample (e.g. q·k dot products), with an optional theory density on top.</summary>
    /// <param name="values">Numbers; non-finite ones are left out of the bins.</param>
    /// <param name="bins">Number of equal-width bins over the finite range.</param>
    /// <param name="title">Figure title.</param>
    /// <param name="xTitle">x axis title.</param>
    /// <param name="theoryDensity">A probability density to draw as a line over the bars (then the bars are densities too).</param>
    /// <param name="theoryName">Legend name of the density line.</param>
    public static Figure Histogram(DataArray values, int bins = 40, string? title = null, string? xTitle = null,
        Func<double, double>? theoryDensity = null, string theoryName = "theory") =>
        Histogram([new Sample("sample", values)], bins, title, xTitle, theoryDensity, theoryName);

    /// <summary>
    /// Several samples overlaid on the same bins (e.g. dot products with and without 1/√d_k scaling), with an optional
    /// theory density line. With a theory line, or more than one sample, bars show probability density so areas compare.
    /// </summary>
    public static Figure Histogram(IReadOnlyList<Sample> samples, int bins = 40, string? title = null, string? xTitle = null,
        Func<double, double>? theoryDensity = null, string theoryName = "theory")
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (samples.Count == 0) throw new ArgumentException("samples is empty; give at least one sample.", nameof(samples));
        var numbers = samples.Select((s, i) => s?.Values.Numbers
            ?? throw new ArgumentException($"samples[{i}] holds {(s is null ? "nothing" : "text")}; a histogram needs numbers.", nameof(samples))).ToArray();
        var finite = numbers.SelectMany(n => n).Where(double.IsFinite).ToArray();
        if (finite.Length == 0) throw new ArgumentException("The values hold no finite number to bin.", nameof(samples));

        var (min, max) = (finite.Min(), finite.Max());
        // bins equal-width bins over [min, max], widened by a hair on both sides: the edges are written with float32
        // precision, and the smallest and largest values must still fall inside the first and last bin.
        var pad = Math.Max(1e-6 * (max - min), 2e-7 * Math.Max(Math.Abs(min), Math.Abs(max))); // > float32 rounding of the edges
        var start = max > min ? min - pad : min - 0.5;
        var end = max > min ? max + pad : min + 0.5;
        var size = (end - start) / bins;
        var density = theoryDensity is not null || samples.Count > 1;
        var figure = new Figure
        {
            Layout = new Layout
            {
                Title = title is null ? null : (Title)title,
                XAxis = new Axis { Title = xTitle is null ? null : (Title)xTitle },
                YAxis = new Axis { Title = density ? "density" : "count" },
                BarMode = "overlay",
                Height = 420,
            },
        };
        for (var s = 0; s < samples.Count; s++)
            figure.Data.Add(new HistogramTrace
            {
                Name = samples[s].Name,
                X = samples[s].Values,
                XBins = new Bins { Start = start, End = end, Size = size },
                HistNorm = density ? "probability density" : null,
                Opacity = samples.Count > 1 ? 0.6 : null,
            });
        if (theoryDensity is not null)
        {
            const int points = 200;
            var xs = Enumerable.Range(0, points + 1).Select(i => start + (end - start) * i / points).ToArray();
            figure.Data.Add(new ScatterTrace
            {
                Name = theoryName,
                X = xs,
                Y = xs.Select(theoryDensity).ToArray(),
                Mode = "lines",
                Line = new Line { Color = "#d62728", Width = 2 },
            });
        }
        return figure;
    }
}
