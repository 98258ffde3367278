using Microsoft.ML.OnnxRuntime;

namespace Attention.OracleTests.Onnx;

/// <summary>One named input tensor for <see cref="OnnxSession.Run"/>: a flat row-major array and its shape.</summary>
public sealed class OnnxInput
{
    private readonly Func<OrtValue> _create;

    private OnnxInput(string name, Func<OrtValue> create) => (Name, _create) = (name, create);

    public string Name { get; }

    /// <summary>A tensor of float, bool, int or any other unmanaged element type ONNX Runtime knows.</summary>
    public static OnnxInput Of<T>(string name, T[] data, params long[] shape) where T : unmanaged
    {
        long count = 1;
        foreach (long d in shape) count *= d;
        if (count != data.Length)
            throw new ArgumentException($"Input '{name}' has {data.Length} values but shape [{string.Join(", ", shape)}] holds {count}.", nameof(data));
        return new OnnxInput(name, () => OrtValue.CreateTensorValueFromMemory(data, shape));
    }

    internal OrtValue CreateValue() => _create();
}

/// <summary>An ONNX Runtime CPU session over a model held in memory (see <see cref="OnnxModelBuilder"/>).</summary>
public sealed class OnnxSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();

    /// <param name="model">Serialised ModelProto.</param>
    /// <param name="intraOpThreads">ONNX Runtime's thread-pool size; 1 keeps runs quiet on a shared machine.</param>
    public OnnxSession(byte[] model, int intraOpThreads = 1)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        _session = new InferenceSession(model, options);
    }

    /// <summary>Run the graph and copy one float output out.</summary>
    public float[] Run(string outputName, params OnnxInput[] inputs)
    {
        var values = new Dictionary<string, OrtValue>(inputs.Length);
        try
        {
            foreach (var input in inputs) values.Add(input.Name, input.CreateValue());
            using var outputs = _session.Run(_runOptions, values, [outputName]);
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
        finally
        {
            foreach (var value in values.Values) value.Dispose();
        }
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}
