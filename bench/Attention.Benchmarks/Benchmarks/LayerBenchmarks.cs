using Attention.Benchmarks.Cases;
using Attention.Benchmarks.Runners;
using BenchmarkDotNet.Attributes;

namespace Attention.Benchmarks.Benchmarks;

/// <summary>
/// Multi-head self-attention end to end (d_model 512, 8 heads, projections with biases): the library's layer against the
/// same layer as an ONNX Runtime graph. Results land in artifacts/bench/layer.csv.
/// </summary>
public class LayerBenchmarks
{
    private IBenchRunner? _runner;

    public static IEnumerable<LayerCase> Cases() => LayerCase.Cases(BenchSettings.Quick);

    [ParamsSource(nameof(Cases))]
    public LayerCase Case { get; set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        var inputs = new LayerInputs(Case);
        _runner = Case.IsLibrary ? new LibraryLayerRunner(Case, inputs) : new OnnxLayerRunner(Case, inputs);
    }

    [Benchmark]
    public void Layer() => _runner!.Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_runner is not null) AllocationLog.Measure(Case, _runner);   // warm by now
        _runner?.Dispose();
        _runner = null;
    }
}
