using System.Globalization;
using Course.Charts;

namespace Course.Notebook;

/// <summary>
/// One run of the benchmark suite (bench/Attention.Benchmarks) as lesson 11 reads it: the attention timings
/// (<c>attention.csv</c>) and the FMA probe (<c>peak.csv</c>) of a directory, by default the full run on the course
/// machine kept in <c>data/benchmarks/</c> (what it is: data/README.md). Columns are found by name, so a file with more
/// columns still reads.
/// </summary>
public sealed class BenchmarkRun
{
    private static readonly string[] KernelColumns = ["impl", "n", "d", "heads", "kv_heads", "causal", "threads", "median_ms", "gflops", "alloc_bytes"];
    private static readonly string[] PeakColumns = ["threads", "gflops"];

    private readonly IReadOnlyList<PeakMeasurement> _peaks;

    private BenchmarkRun(string directory, IReadOnlyList<KernelTiming> kernels, IReadOnlyList<PeakMeasurement> peaks)
    {
        Directory = directory;
        Kernels = kernels;
        _peaks = peaks;
    }

    /// <summary>The folder the run was read from.</summary>
    public string Directory { get; }

    /// <summary>Every timing of attention.csv, in file order.</summary>
    public IReadOnlyList<KernelTiming> Kernels { get; }

    /// <summary>The implementations measured (Reference, Simd, Tiled, then the peers), in the order they first appear.</summary>
    public IReadOnlyList<string> Implementations => [.. Kernels.Select(k => k.Impl).Distinct()];

    /// <summary>The fastest FMA probe on <paramref name="threads"/> threads: the machine's measured peak, GFLOP/s.</summary>
    /// <exception cref="ArgumentException">The run has no probe on that many threads.</exception>
    public double PeakGflops(int threads)
    {
        var probes = _peaks.Where(p => p.Threads == threads).ToList();
        if (probes.Count == 0)
            throw new ArgumentException(
                $"The run in {Directory} has no FMA probe on {threads} thread(s); it has {string.Join(", ", _peaks.Select(p => p.Threads).Distinct())}.",
                nameof(threads));
        return probes.Max(p => p.Gflops);
    }

    /// <summary>The timings of one shape family: head width <paramref name="d"/>, causal or not, on <paramref name="threads"/> threads, by n.</summary>
    public IReadOnlyList<KernelTiming> Select(int d, bool causal, int threads) =>
        [.. Kernels.Where(k => k.D == d && k.Causal == causal && k.Threads == threads).OrderBy(k => k.N)];

    /// <summary>
    /// GFLOP/s against n (log axis) for every implementation of one shape family, and the FMA probe's peak as a dashed
    /// line: how far each path is from what the machine can do.
    /// </summary>
    /// <exception cref="ArgumentException">The run has no timing for that family.</exception>
    public Figure ThroughputChart(int d, bool causal, int threads, string? title = null)
    {
        var rows = Select(d, causal, threads);
        if (rows.Count == 0)
            throw new ArgumentException(
                $"The run in {Directory} has no timing for d = {d}, {(causal ? "causal" : "not causal")}, {threads} thread(s).", nameof(d));
        var series = new List<Series>();
        foreach (var impl in rows.Select(r => r.Impl).Distinct())
        {
            var line = rows.Where(r => r.Impl == impl).ToList();
            series.Add(new Series(impl, line.Select(r => (double)r.N).ToArray(), line.Select(r => r.Gflops).ToArray()) { Markers = true });
        }
        double[] lengths = [.. rows.Select(r => (double)r.N).Distinct().Order()];
        double peak = PeakGflops(threads);
        series.Add(new Series($"FMA peak ({peak:0} GFLOP/s)", new[] { lengths[0], lengths[^1] }, new[] { peak, peak }) { Dashed = true, Color = "#888888" });
        var figure = Chart.Lines(series, title ?? $"Attention throughput, d = {d}, {(causal ? "causal" : "not causal")}, {threads} thread(s)",
            "sequence length n", "GFLOP/s (4·n²·d per head" + (causal ? ", halved" : "") + ")", logX: true);
        figure.Layout.XAxis!.TickVals = lengths;                                  // the measured lengths, written out (not "16.384k")
        figure.Layout.XAxis.TickText = [.. lengths.Select(n => n.ToString("0", CultureInfo.InvariantCulture))];
        figure.Layout.HoverMode = "closest";
        return figure;
    }

    /// <summary>Read attention.csv and peak.csv from <paramref name="directory"/> (default: ../data/benchmarks, the path from notebooks/).</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A column is missing or a cell is not a number; the message names the file, line and column.</exception>
    public static BenchmarkRun Load(string directory = "../data/benchmarks")
    {
        var kernels = Read(directory, "attention.csv", KernelColumns, (cell, line) => new KernelTiming(
            cell("impl"), Int(cell, "n", line), Int(cell, "d", line), Int(cell, "heads", line), Int(cell, "kv_heads", line),
            Int(cell, "causal", line) != 0, Int(cell, "threads", line), Number(cell, "median_ms", line), Number(cell, "gflops", line),
            (long)Number(cell, "alloc_bytes", line)));
        var peaks = Read(directory, "peak.csv", PeakColumns, (cell, line) => new PeakMeasurement(
            Int(cell, "threads", line), Number(cell, "gflops", line)));
        return new BenchmarkRun(directory, kernels, peaks);
    }

    private static List<T> Read<T>(string directory, string name, string[] required, Func<Func<string, string>, string, T> parse)
    {
        string path = Path.Combine(directory, name);
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"No {name} in {Path.GetFullPath(directory)}: a benchmark run writes attention.csv and peak.csv there (bench/Attention.Benchmarks).", path);
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) throw new InvalidDataException($"{path} is empty; it needs a header line.");
        var header = lines[0].Split(',');
        var index = new Dictionary<string, int>();                          // column name → position, found once
        foreach (var column in required)
            index[column] = Array.IndexOf(header, column) is >= 0 and var position
                ? position
                : throw new InvalidDataException($"{path} has no column \"{column}\"; its header is \"{lines[0]}\".");
        var rows = new List<T>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var cells = lines[i].Split(',');
            if (cells.Length != header.Length)
                throw new InvalidDataException($"{path} line {i + 1} has {cells.Length} cells where the header has {header.Length}.");
            rows.Add(parse(column => cells[index[column]], $"{path} line {i + 1}"));
        }
        return rows;
    }

    private static int Int(Func<string, string> cell, string column, string line) =>
        int.TryParse(cell(column), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"{line}: {column} = \"{cell(column)}\" is not an integer.");

    private static double Number(Func<string, string> cell, string column, string line) =>
        double.TryParse(cell(column), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"{line}: {column} = \"{cell(column)}\" is not a number.");

    private sealed record PeakMeasurement(int Threads, double Gflops);   // one probe (Vector512 or Vector256)
}

/// <summary>
/// One row of attention.csv: an implementation on one shape (8 query heads and 2 K/V heads in the suite), its median
/// time per call and GFLOP/s (4·n²·d per head, half when causal), and the bytes one warm call allocated.
/// </summary>
public sealed record KernelTiming(string Impl, int N, int D, int Heads, int KvHeads, bool Causal, int Threads,
    double MedianMs, double Gflops, long AllocBytes);
