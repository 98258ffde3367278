using Google.Protobuf;
using Onnx;

namespace Attention.OracleTests.Onnx;

/// <summary>
/// Builds a one-graph ONNX model in code (OnnxSharp's protobuf types) and serialises it for
/// <c>new InferenceSession(byte[])</c>. Only what small test and benchmark graphs need:
/// typed inputs/outputs, float initializers, nodes with int/float attributes, extra operator domains.
/// </summary>
public sealed class OnnxModelBuilder
{
    /// <summary>The ONNX IR version written into the model (10, ONNX 1.16's); ONNX Runtime 1.31.1 loads it with opset 23 and com.microsoft 1.</summary>
    public const long IrVersion = 10;

    private readonly ModelProto _model;
    private readonly GraphProto _graph;

    /// <param name="graphName">Name of the graph (shows up in ONNX Runtime errors).</param>
    /// <param name="opset">Version of the default ("ai.onnx") operator set.</param>
    public OnnxModelBuilder(string graphName, int opset)
    {
        _graph = new GraphProto { Name = graphName };
        _model = new ModelProto { IrVersion = IrVersion, ProducerName = "Attention.OracleTests", Graph = _graph };
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
    }

    /// <summary>Import another operator domain, e.g. <c>com.microsoft</c> version 1 for ONNX Runtime's contrib ops.</summary>
    public OnnxModelBuilder ImportDomain(string domain, int version)
    {
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        return this;
    }

    /// <summary>Declare a graph input; returns its name so calls can be nested into <see cref="Node"/>.</summary>
    public string Input(string name, TensorProto.Types.DataType type, params long[] shape)
    {
        _graph.Input.Add(ValueInfo(name, type, shape));
        return name;
    }

    /// <summary>Declare a graph output; its shape is left to ONNX Runtime's shape inference.</summary>
    public string Output(string name, TensorProto.Types.DataType type = TensorProto.Types.DataType.Float)
    {
        _graph.Output.Add(ValueInfo(name, type, shape: null));
        return name;
    }

    /// <summary>A constant float tensor stored in the model (weights, biases).</summary>
    public string Initializer(string name, ReadOnlySpan<float> values, params long[] shape)
    {
        long count = 1;
        foreach (long d in shape) count *= d;
        if (count != values.Length)
            throw new ArgumentException($"Initializer '{name}' has {values.Length} values but shape [{string.Join(", ", shape)}] holds {count}.", nameof(values));

        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(shape);
        foreach (float v in values) tensor.FloatData.Add(v);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>
    /// Add a node. An empty string in <paramref name="inputs"/> leaves an optional input out
    /// (ONNX's convention), so later optional inputs can still be given by position.
    /// </summary>
    public OnnxModelBuilder Node(string opType, string[] inputs, string[] outputs, string domain = "", params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Domain = domain, Name = $"{opType}_{_graph.Node.Count}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return this;
    }

    /// <summary>The model as protobuf bytes.</summary>
    public byte[] ToBytes() => _model.ToByteArray();

    /// <summary>An integer attribute.</summary>
    public static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A float attribute.</summary>
    public static AttributeProto FloatAttribute(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, long[]? shape)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)type };
        if (shape is not null)
        {
            tensorType.Shape = new TensorShapeProto();
            foreach (long d in shape) tensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}
