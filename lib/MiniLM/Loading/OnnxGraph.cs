using System.Runtime.InteropServices;
using Onnx;

namespace Attention.MiniLM;

/// <summary>
/// A read-only index over an ONNX graph, for walking it: which node produces a value, which nodes consume it, and the
/// numbers stored in initializers and Constant nodes. Every failed lookup throws <see cref="MiniLMFormatException"/>
/// with the names involved, so a model of another shape fails with a message, not a null reference.
/// </summary>
internal sealed class OnnxGraph
{
    private readonly Dictionary<string, NodeProto> producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeProto>> consumers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorProto> initializers = new(StringComparer.Ordinal);

    public OnnxGraph(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (var tensor in graph.Initializer) initializers[tensor.Name] = tensor;
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output) producers[output] = node;
            foreach (var input in node.Input)
            {
                if (!consumers.TryGetValue(input, out var list)) consumers[input] = list = [];
                list.Add(node);
            }
        }
        Inputs = graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Names of the graph's inputs (token ids, attention mask…).</summary>
    public IReadOnlySet<string> Inputs { get; }

    public bool HasInitializer(string name) => initializers.ContainsKey(name);

    /// <summary>The node that computes <paramref name="value"/>, or null for graph inputs and initializers.</summary>
    public NodeProto? Producer(string value) => producers.GetValueOrDefault(value);

    /// <summary>The nodes that read <paramref name="value"/>.</summary>
    public IReadOnlyList<NodeProto> Consumers(string value) => consumers.TryGetValue(value, out var list) ? list : [];

    /// <summary>The one node of type <paramref name="opType"/> reading <paramref name="value"/>; throws unless exactly one exists.</summary>
    public NodeProto SingleConsumer(string value, string opType, string what)
    {
        var found = Consumers(value).Where(n => n.OpType == opType).ToList();
        return found.Count == 1
            ? found[0]
            : throw new MiniLMFormatException($"{what}: expected one {opType} node reading '{value}', found {found.Count}.");
    }

    /// <summary>The node computing <paramref name="value"/>, which must be of type <paramref name="opType"/>.</summary>
    public NodeProto ProducerOf(string value, string opType, string what)
    {
        var node = Producer(value);
        if (node is null || node.OpType != opType)
            throw new MiniLMFormatException(
                $"{what}: expected '{value}' to be computed by a {opType} node, but it is {(node is null ? "not computed by any node" : $"computed by {node.OpType} node '{node.Name}'")}.");
        return node;
    }

    /// <summary>The input of a two-input node that is not <paramref name="known"/>.</summary>
    public static string OtherInput(NodeProto node, string known, string what)
    {
        if (node.Input.Count != 2 || !node.Input.Contains(known))
            throw new MiniLMFormatException($"{what}: node '{node.Name}' ({node.OpType}) should have two inputs, one of them '{known}'; it has ({string.Join(", ", node.Input)}).");
        return node.Input[0] == known ? node.Input[1] : node.Input[0];
    }

    /// <summary>
    /// A float initializer with the expected shape, copied out (row-major; for a MatMul weight that is [in, out]).
    /// </summary>
    public float[] Floats(string name, string what, params long[] shape)
    {
        if (!initializers.TryGetValue(name, out var tensor))
            throw new MiniLMFormatException($"{what}: the model has no initializer named '{name}'.");
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw new MiniLMFormatException($"{what}: initializer '{name}' holds data type {tensor.DataType}, expected float32 (1).");
        if (!tensor.Dims.SequenceEqual(shape))
            throw new MiniLMFormatException($"{what}: initializer '{name}' has shape [{string.Join(", ", tensor.Dims)}], expected [{string.Join(", ", shape)}].");
        var values = tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray() : tensor.FloatData.ToArray();
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (values.Length != count)
            throw new MiniLMFormatException($"{what}: initializer '{name}' stores {values.Length} numbers, its shape needs {count}.");
        return values;
    }

    /// <summary>The shape of an initializer (throws if there is none of that name).</summary>
    public IReadOnlyList<long> Shape(string name, string what) =>
        initializers.TryGetValue(name, out var tensor)
            ? tensor.Dims
            : throw new MiniLMFormatException($"{what}: the model has no initializer named '{name}'.");

    /// <summary>A one-element number (float or int64) held by an initializer or computed by a Constant node.</summary>
    public double Scalar(string value, string what)
    {
        TensorProto? tensor = initializers.GetValueOrDefault(value);
        if (tensor is null && Producer(value) is { OpType: "Constant" } constant)
            tensor = constant.Attribute.FirstOrDefault(a => a.Name == "value")?.T;
        if (tensor is null)
            throw new MiniLMFormatException($"{what}: expected '{value}' to be a constant (an initializer or a Constant node), but it is computed.");
        var raw = tensor.RawData.Span;
        return (TensorProto.Types.DataType)tensor.DataType switch
        {
            TensorProto.Types.DataType.Float when raw.Length == 4 => MemoryMarshal.Read<float>(raw),
            TensorProto.Types.DataType.Float when tensor.FloatData.Count == 1 => tensor.FloatData[0],
            TensorProto.Types.DataType.Int64 when raw.Length == 8 => MemoryMarshal.Read<long>(raw),
            TensorProto.Types.DataType.Int64 when tensor.Int64Data.Count == 1 => tensor.Int64Data[0],
            _ => throw new MiniLMFormatException($"{what}: constant '{value}' is not a single float32 or int64 number."),
        };
    }
}
