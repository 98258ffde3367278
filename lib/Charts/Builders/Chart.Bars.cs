namespace Course.Charts;

public static partial class Chart
{
    /// <summary>
    /// Grouped bars: one group per label (tokens, kernel paths, variants…), one colour per series.
    /// Comparing where two heads put their weight over the same keys is the typical use.
    /// </summary>
    /// <param name="labels">The categories on the x axis, [n]; repeated tokens stay distinct bars.</param>
    /// <param name="series">At least one (name, values [n]) pair.</param>
    /// <param name="title">Figure title.</param>
    /// <param name="yTitle">y axis title.</param>
    /// <param name="showValues">Print each bar's value above it.</param>
    /// <exception cref="ArgumentException">No series, or a series whose length differs from the number of labels.</exception>
    public static Figure Bars(IReadOnlyList<string> labels, IReadOnlyList<(string Name, DataArray Values)> series,
        string? title = null, string? yTitle = null, bool showValues = false)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0) throw new ArgumentException("Bars need at least one series.", nameof(series));
        foreach (var (name, values) in series)
            if (values.Count != labels.Count)
                throw new ArgumentException(
                    $"series \"{name}\" has {values.Count} values but labels has {labels.Count} entries: one value per label.", nameof(series));

        var x = TokenLabels.MakeDistinct(labels);
        var figure = new Figure
        {
            Layout = new Layout
            {
                Title = title is null ? null : (Title)title,
                BarMode = "group",
                YAxis = new Axis { Title = yTitle is null ? null : (Title)yTitle },
                Height = 380,
            },
        };
        foreach (var (name, values) in series)
            figure.Data.Add(new BarTrace
            {
                Name = name,
                X = x,
                Y = values,
                TextTemplate = showValues ? "%{y:.2f}" : null,
                TextPosition = showValues ? "outside" : null,
            });
        return figure;
    }
}
