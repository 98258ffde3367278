using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Attention.Benchmarks;

/// <summary>
/// How BenchmarkDotNet runs the suite. In process (no per-benchmark rebuild, and the classes see <see cref="BenchSettings"/>),
/// allocations per call measured (MemoryDiagnoser), benchmarks in declaration order so each shape's implementations run
/// back to back under the same machine load. Medians are what the report uses.
/// </summary>
public static class BenchConfig
{
    /// <summary>
    /// Longest one benchmark may run. The in-process toolchain's default, 5 minutes, is too short for the slowest peer:
    /// ONNX Runtime's MultiHeadAttention, causal, n = 16384, d = 128, one thread takes 15–21 s a call here, 12 calls with
    /// the pilot and warm-ups, and a full run on 2026-11-29 stopped there with "takes too long to run", losing the
    /// whole report.
    /// </summary>
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(30);

    public static IConfig Create(bool quick, string artifactsPath, string? filter)
    {
        // Full: 3 warm-up and 7 measured iterations of ≥ 150 ms (a call longer than that is one invocation per iteration).
        // Quick: 1 warm-up and 3 iterations of ≥ 30 ms, enough for a smoke run and rough numbers.
        var job = (quick
                ? Job.Default.WithWarmupCount(1).WithIterationCount(3).WithIterationTime(TimeInterval.FromMilliseconds(30))
                : Job.Default.WithWarmupCount(3).WithIterationCount(7).WithIterationTime(TimeInterval.FromMilliseconds(150)))
            .WithToolchain(new InProcessEmitToolchain(RunTimeout, logOutput: true))
            .WithEvaluateOverhead(false)   // calls take microseconds to seconds; a nanosecond of loop overhead does not matter
            .WithId(quick ? "Quick" : "Full");

        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddColumn(StatisticColumn.Median)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(ConsoleLogger.Default)
            .AddExporter(MarkdownExporter.GitHub, CsvExporter.Default)
            .WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared, MethodOrderPolicy.Declared))
            .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(48))
            .WithArtifactsPath(artifactsPath)
            .WithOptions(ConfigOptions.DisableLogFile);
        if (!string.IsNullOrEmpty(filter))
        {
            // "A|B": a benchmark whose name contains any of the parts (e.g. "n=4096 d=64|Peak" for the peak target).
            string[] parts = filter.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            config = config.AddFilter(new SimpleFilter(bc => parts.Any(part => bc.DisplayInfo.Contains(part, StringComparison.OrdinalIgnoreCase))));
        }
        return config;
    }
}
