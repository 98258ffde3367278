namespace Attention.Tests.Layers;

public class MultiHeadAttentionArgumentTests
{
    [Fact]
    public void Heads_that_do_not_divide_the_model_width_are_named_with_both_sizes()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new MultiHeadAttention(modelDim: 12, heads: 5));
        Assert.Equal("heads", error.ParamName);
        Assert.Contains("heads (5)", error.Message);
        Assert.Contains("modelDim (12)", error.Message);
    }

    [Theory]
    [InlineData(0, 2, 2, 8, "modelDim")]
    [InlineData(8, 0, 1, 8, "heads")]
    [InlineData(8, 2, 0, 8, "kvHeads")]
    [InlineData(8, 4, 3, 8, "kvHeads")]
    [InlineData(8, 2, 2, -1, "contextDim")]
    public void Bad_sizes_name_the_argument(int modelDim, int heads, int kvHeads, int contextDim, string name)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new MultiHeadAttention(modelDim, heads, kvHeads, contextDim));
        Assert.Equal(name, error.ParamName);
        Assert.Contains($"modelDim={modelDim}", error.Message);
    }

    [Fact]
    public void Span_lengths_that_do_not_match_name_the_argument_and_the_shapes()
    {
        var layer = new MultiHeadAttention(modelDim: 8, heads: 2, contextDim: 6);
        void Check(string name, Action call)
        {
            var error = Assert.ThrowsAny<ArgumentException>(call);
            Assert.Equal(name, error.ParamName);
            Assert.Contains("context [5, 6]", error.Message);
        }
        Check("x", () => layer.Forward(new float[3 * 8 + 1], 3, new float[5 * 6], 5, new float[3 * 8]));
        Check("context", () => layer.Forward(new float[3 * 8], 3, new float[5 * 8], 5, new float[3 * 8]));   // context rows of d_model, not d_ctx
        Check("output", () => layer.Forward(new float[3 * 8], 3, new float[5 * 6], 5, new float[3 * 6]));
        Check("weights", () => layer.Forward(new float[3 * 8], 3, new float[5 * 6], 5, new float[3 * 8], null, new float[2 * 3 * 3]));
    }

    [Fact]
    public void Self_attention_on_a_cross_attention_layer_asks_for_a_context()
    {
        var layer = new MultiHeadAttention(modelDim: 8, heads: 2, contextDim: 6);
        var error = Assert.ThrowsAny<ArgumentException>(() => layer.Forward(new float[8], 1, new float[8]));
        Assert.Contains("contextDim=6", error.Message);
        var matrixError = Assert.ThrowsAny<ArgumentException>(() => layer.Forward(Attend.FromRowMajor(new float[8], 1, 8)));
        Assert.Equal("context", matrixError.ParamName);
    }

    [Fact]
    public void Matrix_inputs_of_the_wrong_width_or_null_are_named()
    {
        var layer = new MultiHeadAttention(modelDim: 8, heads: 2, contextDim: 6);
        var x = Attend.FromRowMajor(new float[2 * 8], 2, 8);
        var error = Assert.ThrowsAny<ArgumentException>(() => layer.Forward(x, Attend.FromRowMajor(new float[3 * 8], 3, 8)));
        Assert.Equal("context", error.ParamName);
        Assert.Contains("[3, 8]", error.Message);
        Assert.Contains("d_ctx = 6", error.Message);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => layer.Forward(Attend.FromRowMajor(new float[2 * 6], 2, 6), x)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => layer.Forward(null!)).ParamName);
    }

    [Fact]
    public void Weight_matrices_of_the_wrong_shape_are_rejected_and_bias_free_layers_have_none()
    {
        var layer = new MultiHeadAttention(modelDim: 8, heads: 2, kvHeads: 1);
        var error = Assert.ThrowsAny<ArgumentException>(() => layer.WK = Attend.FromRowMajor(new float[64], 8, 8));
        Assert.Equal("WK", error.ParamName);
        Assert.Contains("[8, 4]", error.Message);
        var noBias = new MultiHeadAttention(modelDim: 8, heads: 2, bias: false);
        Assert.Null(noBias.BQ);
        Assert.Equal("BQ", Assert.ThrowsAny<ArgumentException>(() => noBias.BQ = MathNet.Numerics.LinearAlgebra.Vector<float>.Build.Dense(8)).ParamName);
    }

    [Fact]
    public void Batch_key_lengths_outside_the_sequence_are_rejected()
    {
        var layer = new MultiHeadAttention(modelDim: 4, heads: 2);
        var error = Assert.ThrowsAny<ArgumentException>(() => layer.ForwardBatch(new float[2 * 3 * 4], 2, 3, [3, 4], new float[2 * 3 * 4]));
        Assert.Equal("keyLengths", error.ParamName);
        Assert.Contains("[0, contextLength=3]", error.Message);
        Assert.Equal("keyLengths", Assert.ThrowsAny<ArgumentException>(() => layer.ForwardBatch(new float[2 * 3 * 4], 2, 3, [3], new float[2 * 3 * 4])).ParamName);
    }

    [Fact]
    public void Rope_of_another_head_width_is_rejected()
    {
        var layer = new MultiHeadAttention(modelDim: 8, heads: 2);
        var error = Assert.ThrowsAny<ArgumentException>(() => layer.Rope = new RotaryEmbedding(8));
        Assert.Contains("d_head (4)", error.Message);
    }
}
