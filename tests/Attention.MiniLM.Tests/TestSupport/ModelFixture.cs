using Onnx;

namespace Attention.MiniLM.Tests;

/// <summary>
/// The model parsed once for every test: the ONNX graph (for ONNX Runtime and for damaged copies), the vocabulary,
/// the course's <see cref="MiniLMModel"/> built from them, and an ONNX Runtime session over the same graph.
/// </summary>
public sealed class ModelFixture : IDisposable
{
    public ModelFixture()
    {
        using (var stream = ModelResources.Open(ModelResources.ModelResourceName))
            Proto = ModelProto.Parser.ParseFrom(stream);
        using (var stream = ModelResources.Open(ModelResources.VocabularyResourceName))
            Vocabulary = MiniLMTokenizer.ReadVocabulary(stream);
        Model = MiniLMModel.FromOnnx(Proto, Vocabulary);
        Runtime = new OnnxRuntimeReference(Proto, Model.Weights);
    }

    /// <summary>The untouched graph as parsed (tests that damage it work on a Clone()).</summary>
    public ModelProto Proto { get; }

    public string[] Vocabulary { get; }

    public MiniLMModel Model { get; }

    public OnnxRuntimeReference Runtime { get; }

    public void Dispose() => Runtime.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ModelCollection : ICollectionFixture<ModelFixture>
{
    public const string Name = "all-MiniLM-L6-v2";
}
