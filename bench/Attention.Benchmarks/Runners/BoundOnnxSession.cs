using Microsoft.ML.OnnxRuntime;

namespace Attention.Benchmarks.Runners;

/// <summary>
/// An ONNX Runtime CPU session whose inputs and outputs are bound once (<see cref="OrtIoBinding"/>) to pinned managed
/// arrays: a run reads and writes those arrays in place, so the peer is charged for neither copies nor output allocation.
/// </summary>
public sealed class BoundOnnxSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtIoBinding _binding;
    private readonly List<OrtValue> _values = [];

    /// <param name="model">Serialised ONNX model.</param>
    /// <param name="threads">Intra-op threads (1 = the calling thread only), as the library's MaxThreads.</param>
    public BoundOnnxSession(byte[] model, int threads)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        _session = new InferenceSession(model, options);
        _binding = _session.CreateIoBinding();
    }

    /// <summary>Bind a graph input to <paramref name="data"/> (pinned until Dispose).</summary>
    public BoundOnnxSession Input<T>(string name, T[] data, params long[] dims) where T : unmanaged
    {
        var value = OrtValue.CreateTensorValueFromMemory(data, dims);
        _values.Add(value);
        _binding.BindInput(name, value);
        return this;
    }

    /// <summary>Bind a graph output to <paramref name="buffer"/>: every run writes the result there.</summary>
    public BoundOnnxSession Output(string name, float[] buffer, params long[] dims)
    {
        var value = OrtValue.CreateTensorValueFromMemory(buffer, dims);
        _values.Add(value);
        _binding.BindOutput(name, value);
        return this;
    }

    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    public void Dispose()
    {
        _binding.Dispose();
        foreach (var value in _values) value.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
