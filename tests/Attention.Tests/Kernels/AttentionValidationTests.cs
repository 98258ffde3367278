namespace Attention.Tests.Kernels;

/// <summary>Every bad input is rejected before any kernel runs, with the argument's name and the shapes in the message.</summary>
public class AttentionValidationTests
{
    private static readonly AttentionShape Shape = new(heads: 4, queryLength: 5, keyLength: 6, headDim: 8, valueDim: 3, kvHeads: 2);

    private static Exception Call(int q = 160, int k = 96, int v = 36, int output = 60, int weights = 0, AttentionOptions? options = null,
        AttentionShape? shape = null) =>
        Record.Exception(() => ScaledDotProductAttention.Forward(
            new float[q], new float[k], new float[v], new float[output], shape ?? Shape, options, new float[weights]))!;

    [Fact]
    public void ValidCallsPass()
    {
        Assert.Null(Call());
        Assert.Null(Call(weights: 120));
    }

    [Theory]
    [InlineData("q", 159, "q has 159 elements but shape [heads=4, n_q=5, d_k=8] needs 160")]
    [InlineData("k", 95, "k has 95 elements but shape [kvHeads=2, n_k=6, d_k=8] needs 96")]
    [InlineData("v", 37, "v has 37 elements but shape [kvHeads=2, n_k=6, d_v=3] needs 36")]
    [InlineData("output", 0, "output has 0 elements but shape [heads=4, n_q=5, d_v=3] needs 60")]
    [InlineData("weights", 119, "weights has 119 elements but shape [heads=4, n_q=5, n_k=6]")]
    public void WrongSpanLengthNamesTheArgumentAndShape(string name, int length, string expectedMessage)
    {
        var e = name switch
        {
            "q" => Call(q: length),
            "k" => Call(k: length),
            "v" => Call(v: length),
            "output" => Call(output: length),
            _ => Call(weights: length),
        };
        var argument = Assert.IsType<ArgumentException>(e);
        Assert.Equal(name, argument.ParamName);
        Assert.Contains(expectedMessage, argument.Message);
        Assert.Contains("heads=4, kvHeads=2, n_q=5, n_k=6, d_k=8, d_v=3", argument.Message);
    }

    [Fact]
    public void DefaultShapeIsRejected()
    {
        var e = Assert.IsType<ArgumentException>(Call(q: 0, k: 0, v: 0, output: 0, shape: default(AttentionShape)));
        Assert.Equal("shape", e.ParamName);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(0f)]
    [InlineData(-0.5f)]
    [InlineData(float.PositiveInfinity)]
    public void ScaleMustBePositiveAndFinite(float scale)
    {
        var e = Assert.IsType<ArgumentOutOfRangeException>(Call(options: new AttentionOptions { Scale = scale }));
        Assert.Equal("options.Scale", e.ParamName);
        Assert.Contains("positive and finite", e.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(7)]
    public void KeyLengthMustBeWithinTheKeys(int keyLength)
    {
        var e = Assert.IsType<ArgumentOutOfRangeException>(Call(options: new AttentionOptions { Mask = AttentionMask.Padding(keyLength) }));
        Assert.Equal("options.Mask.KeyLength", e.ParamName);
        Assert.Contains("[0, n_k=6]", e.Message);
    }

    [Fact]
    public void MaskShapesMustMatch()
    {
        var e = Assert.IsType<ArgumentException>(Call(options: new AttentionOptions { Mask = new AttentionMask { Allowed = new bool[31] } }));
        Assert.Equal("options.Mask.Allowed", e.ParamName);
        Assert.Contains("has 31 bool elements", e.Message);
        Assert.Contains("[n_q=5, n_k=6] = 30", e.Message);
        Assert.Contains("[heads=4, n_q=5, n_k=6] = 120", e.Message);

        e = Assert.IsType<ArgumentException>(Call(options: new AttentionOptions { Mask = new AttentionMask { Bias = new float[60] } }));
        Assert.Equal("options.Mask.Bias", e.ParamName);
        Assert.Contains("has 60 float elements", e.Message);

        Assert.Null(Call(options: new AttentionOptions { Mask = new AttentionMask { Allowed = new bool[30], Bias = new float[120] } }));
    }

    [Fact]
    public void OtherOptionsAreChecked()
    {
        var threads = Assert.IsType<ArgumentOutOfRangeException>(Call(options: new AttentionOptions { MaxThreads = 0 }));
        Assert.Equal("options.MaxThreads", threads.ParamName);

        var path = Assert.IsType<ArgumentOutOfRangeException>(Call(options: new AttentionOptions { Path = (KernelPath)42 }));
        Assert.Equal("options.Path", path.ParamName);

        var mask = Assert.IsType<ArgumentNullException>(Call(options: new AttentionOptions { Mask = null! }));
        Assert.Equal("options.Mask", mask.ParamName);
    }

    [Fact]
    public void WeightsWithTheTiledPathAreRejected()
    {
        var e = Assert.IsType<ArgumentException>(Call(weights: 120, options: new AttentionOptions { Path = KernelPath.Tiled }));
        Assert.Equal("weights", e.ParamName);
        Assert.Contains("tiled path never holds the score matrix", e.Message);
        Assert.Contains("n_q=5, n_k=6", e.Message);
    }

    [Fact]
    public void OutputMayNotOverlapTheInputs()
    {
        var buffer = new float[160 + 60];
        var e = Assert.Throws<ArgumentException>(() => ScaledDotProductAttention.Forward(
            buffer.AsSpan(0, 160), new float[96], new float[36], buffer.AsSpan(100, 60), Shape));
        Assert.Equal("output", e.ParamName);
        Assert.Contains("overlaps", e.Message);

        var weights = new float[120];
        e = Assert.Throws<ArgumentException>(() => ScaledDotProductAttention.Forward(
            new float[160], new float[96], new float[36], weights.AsSpan(0, 60), Shape, null, weights));
        Assert.Equal("weights", e.ParamName);
    }
}
