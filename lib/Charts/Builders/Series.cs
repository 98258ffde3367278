namespace Course.Charts;

/// <summary>One named line: <see cref="X"/> and <see cref="Y"/> of equal length (numbers; X may also be labels).</summary>
public sealed record Series(string Name, DataArray X, DataArray Y)
{
    public bool Dashed { get; init; }
    /// <summary>Mark each point as well as the line.</summary>
    public bool Markers { get; init; }
    /// <summary>CSS color; null: plotly's color cycle.</summary>
    public string? Color { get; init; }
}

/// <summary>A named sample of numbers for a histogram.</summary>
public sealed record Sample(string Name, DataArray Values);

/// <summary>A 2-D vector drawn as an arrow from the origin to (<see cref="X"/>, <see cref="Y"/>).</summary>
public sealed record Arrow2D(string Name, double X, double Y)
{
    /// <summary>CSS color; null: the course palette.</summary>
    public string? Color { get; init; }
}
