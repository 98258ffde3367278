using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;

namespace Attention.MiniLM.Tests;

/// <summary>
/// ONNX Runtime running the package's graph, with each layer's Softmax output (its attention probabilities) added as an
/// extra graph output so they can be compared with the course library's weights. The names come from the loader's
/// walk of the graph (<see cref="MiniLMWeights.AttentionProbabilityValues"/>), so no node is named here by hand.
/// </summary>
public sealed class OnnxRuntimeReference : IDisposable
{
    private readonly InferenceSession session;
    private readonly MiniLMWeights weights;

    public OnnxRuntimeReference(ModelProto proto, MiniLMWeights weights)
    {
        this.weights = weights;
        var exposed = proto.Clone();
        foreach (var name in weights.AttentionProbabilityValues)
            exposed.Graph.Output.Add(new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });
        var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(exposed), options);
    }

    /// <summary>What ONNX Runtime computes for a padded batch: attention probabilities [layers] of [batch, heads, L, L] and last_hidden_state [batch, L, d].</summary>
    public sealed record Result(IReadOnlyList<float[]> Probabilities, float[] LastHiddenState);

    /// <summary>Run a batch [batch, length] of token ids with the attention mask 1 on the first lengths[b] tokens.</summary>
    public Result Run(int[] tokenIds, int batch, int length, IReadOnlyList<int> lengths)
    {
        var ids = new DenseTensor<long>(tokenIds.Select(id => (long)id).ToArray(), [batch, length]);
        var mask = new DenseTensor<long>([batch, length]);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < lengths[b]; t++) mask[b, t] = 1;
        var types = new DenseTensor<long>([batch, length]);
        var (idsName, maskName, typesName) = weights.InputNames;
        var inputs = new[]
        {
            NamedOnnxValue.CreateFromTensor(idsName, ids),
            NamedOnnxValue.CreateFromTensor(maskName, mask),
            NamedOnnxValue.CreateFromTensor(typesName, types),
        };
        var outputs = weights.AttentionProbabilityValues.Append(weights.LastHiddenStateValue).ToArray();
        using var results = session.Run(inputs, outputs);
        var arrays = results.Select(r => r.AsTensor<float>().ToArray()).ToArray();
        return new Result(arrays[..^1], arrays[^1]);
    }

    public void Dispose() => session.Dispose();
}
