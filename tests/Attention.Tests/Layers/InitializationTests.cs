namespace Attention.Tests.Layers;

public class InitializationTests
{
    [Fact]
    public void Weights_lie_within_the_Glorot_bound_and_fill_it()
    {
        var layer = new MultiHeadAttention(modelDim: 32, heads: 4, kvHeads: 2, contextDim: 24, seed: 7);
        AssertGlorot(layer.QueryWeight, 32, 32);
        AssertGlorot(layer.KeyWeight, 24, 16);
        AssertGlorot(layer.ValueWeight, 24, 16);
        AssertGlorot(layer.OutputWeight, 32, 32);
        Assert.All(new[] { layer.QueryBias!, layer.KeyBias!, layer.ValueBias!, layer.OutputBias! }, bias => Assert.All(bias, b => Assert.Equal(0f, b)));
    }

    private static void AssertGlorot(float[] weights, int fanIn, int fanOut)
    {
        double bound = Math.Sqrt(6.0 / (fanIn + fanOut));
        Assert.Equal(bound, WeightInit.GlorotBound(fanIn, fanOut));
        Assert.All(weights, w => Assert.InRange(w, -(float)bound, (float)bound));
        // U(−a, a) has variance a²/3; with ≥ 384 samples the sample variance is within 20 % of it (a 4.8-sigma band for 384).
        double variance = weights.Average(w => (double)w * w);
        Assert.InRange(variance, 0.8 * bound * bound / 3, 1.2 * bound * bound / 3);
        Assert.True(weights.Max(Math.Abs) > 0.9 * bound, "the draws should reach near the bound");
    }

    [Fact]
    public void The_seed_alone_decides_the_weights()
    {
        var a = new MultiHeadAttention(modelDim: 8, heads: 2, seed: 42);
        var b = new MultiHeadAttention(modelDim: 8, heads: 2, seed: 42);
        var c = new MultiHeadAttention(modelDim: 8, heads: 2, seed: 43);
        Assert.Equal(a.QueryWeight, b.QueryWeight);
        Assert.Equal(a.OutputWeight, b.OutputWeight);
        Assert.NotEqual(a.QueryWeight, c.QueryWeight);
        Assert.NotEqual(a.QueryWeight, a.KeyWeight);   // one generator for all four: no two matrices alike
    }

    [Fact]
    public void Glorot_uniform_is_reproducible_from_a_seeded_generator()
    {
        var first = new float[12];
        var second = new float[12];
        WeightInit.GlorotUniform(first, 3, 4, new Random(5));
        WeightInit.GlorotUniform(second, 3, 4, new Random(5));
        Assert.Equal(first, second);
        Assert.Equal("weights", Assert.ThrowsAny<ArgumentException>(() => WeightInit.GlorotUniform(new float[11], 3, 4, new Random(5))).ParamName);
    }
}
