using Attention.Benchmarks.Cases;
using Attention.Benchmarks.Runners;
using BenchmarkDotNet.Attributes;

namespace Attention.Benchmarks.Benchmarks;

/// <summary>
/// Scaled dot-product attention, 8 query heads over 2 K/V heads: the library's paths and ONNX Runtime's, one case
/// (implementation, n, d, causal, threads) per benchmark. Results land in artifacts/bench/attention.csv.
/// </summary>
public class KernelBenchmarks
{
    /// <summary>Peers are checked against the library before timing up to this n (the check costs one tiled call).</summary>
    public const int CheckedMaxLength = 4096;

    private IBenchRunner? _runner;

    public static IEnumerable<KernelCase> Cases() => KernelGrid.Cases(BenchSettings.Quick);

    [ParamsSource(nameof(Cases))]
    public KernelCase Case { get; set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        var inputs = new KernelInputs(Case);
        _runner = Case.IsLibrary
            ? new LibraryKernelRunner(Case, inputs)
            : new OnnxKernelRunner(Case, inputs, check: Case.N <= CheckedMaxLength);
    }

    [Benchmark]
    public void Attention() => _runner!.Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_runner is not null) AllocationLog.Measure(Case, _runner);   // warm by now
        _runner?.Dispose();
        _runner = null;
    }
}
