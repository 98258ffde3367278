using Attention.Tests.TestSupport;

namespace Attention.Tests.Layers;

/// <summary>The projections and the layer keep their scratch memory across calls: once warm, a call allocates nothing.</summary>
[Collection(SequentialCollection.Name)]
public class LayerAllocationTests
{
    [Fact]
    public void A_warm_linear_call_allocates_nothing()
    {
        const int rows = 200, inDim = 128, outDim = 130;
        float[] x = TestData.Uniform(rows * inDim, 8), w = TestData.Uniform(inDim * outDim, 9), b = TestData.Uniform(outDim, 10);
        var y = new float[rows * outDim];
        foreach (int threads in new[] { 1, 4 })
        {
            for (int i = 0; i < 3; i++) Linear.Forward(x, w, y, rows, inDim, outDim, b, threads);
            Assert.Equal(0, Allocations.FewestBytes(() => Linear.Forward(x, w, y, rows, inDim, outDim, b, threads)));
            Assert.Equal(0, Allocations.FewestBytesAfterFullCollections(() => Linear.Forward(x, w, y, rows, inDim, outDim, b, threads)));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_warm_forward_allocates_nothing(bool packed)
    {
        var layer = new MultiHeadAttention(modelDim: 128, heads: 2, seed: 5);
        if (packed) layer.PackWeights();
        const int n = 140;
        float[] x = TestData.Uniform(n * 128, seed: 6);
        var output = new float[n * 128];
        foreach (int threads in new[] { 1, 4 })
        {
            var options = new AttentionOptions { MaxThreads = threads };
            for (int i = 0; i < 3; i++) layer.Forward(x, n, output, options);
            Assert.Equal(0, Allocations.FewestBytes(() => layer.Forward(x, n, output, options)));
            Assert.Equal(0, Allocations.FewestBytesAfterFullCollections(() => layer.Forward(x, n, output, options)));
        }
    }
}
