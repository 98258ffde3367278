using Attention.Tests.TestSupport;

namespace Attention.Tests.Kernels;

public class SoftmaxTests
{
    /// <summary>Vectorised softmax vs float64 at every length 0..257 (every remainder of every width), several temperatures.</summary>
    [Theory]
    [InlineData(1f, false)]
    [InlineData(0.5f, false)]
    [InlineData(3f, false)]
    [InlineData(1f, true)]
    [InlineData(0.25f, true)]
    public void MatchesFloat64AtEveryLength(float temperature, bool log)
    {
        for (int n = 0; n <= 257; n++)
        {
            var logits = TestData.Uniform(n, seed: n, amplitude: 8f);
            var actual = new float[n];
            if (log) Softmax.LogSoftmax(logits, actual, temperature);
            else Softmax.Forward(logits, actual, temperature);
            AssertWithinDerivedTolerance(logits, actual, temperature, log, $"n={n}");
        }
    }

    [Fact]
    public void MaskedRowsMatchFloat64AndMaskedEntriesAreExactlyZero()
    {
        for (int n = 0; n <= 70; n++)
        {
            var logits = TestData.Uniform(n, seed: n, amplitude: 5f);
            var allowed = TestData.Booleans(n, seed: n + 1, keep: 0.6);
            var masked = logits.Select((x, j) => allowed[j] ? x : float.NegativeInfinity).ToArray();
            var probs = new float[n];
            var logProbs = new float[n];
            Softmax.Forward(logits, allowed, probs);
            Softmax.LogSoftmax(logits, allowed, logProbs);
            AssertWithinDerivedTolerance(masked, probs, 1f, log: false, $"n={n}");
            AssertWithinDerivedTolerance(masked, logProbs, 1f, log: true, $"n={n}");
            for (int j = 0; j < n; j++)
                if (!allowed[j]) { Assert.Equal(0f, probs[j]); Assert.Equal(float.NegativeInfinity, logProbs[j]); }
        }
    }

    [Fact]
    public void RowsAreIndependentSoftmaxes()
    {
        const int rows = 5, cols = 19;
        var logits = TestData.Uniform(rows * cols, seed: 3, amplitude: 4f);
        for (int c = 0; c < cols; c++) logits[2 * cols + c] = float.NegativeInfinity;   // row 2: all -inf
        var allowed = TestData.Booleans(rows * cols, seed: 4);
        for (int c = 0; c < cols; c++) allowed[3 * cols + c] = false;                     // row 3: fully masked

        var probs = new float[rows * cols];
        var maskedProbs = new float[rows * cols];
        var logProbs = new float[rows * cols];
        var maskedLogProbs = new float[rows * cols];
        Softmax.ForwardRows(logits, probs, rows, cols, temperature: 2f);
        Softmax.ForwardRows(logits, allowed, maskedProbs, rows, cols, temperature: 2f);
        Softmax.LogSoftmaxRows(logits, logProbs, rows, cols, temperature: 2f);
        Softmax.LogSoftmaxRows(logits, allowed, maskedLogProbs, rows, cols, temperature: 2f);

        for (int r = 0; r < rows; r++)
        {
            var row = logits.AsSpan(r * cols, cols);
            var expected = new float[cols];
            Softmax.Forward(row, expected, 2f);
            Assert.Equal(expected, probs.AsSpan(r * cols, cols).ToArray());
            Softmax.LogSoftmax(row, expected, 2f);
            Assert.Equal(expected, logProbs.AsSpan(r * cols, cols).ToArray());
            Softmax.Forward(row, allowed.AsSpan(r * cols, cols), expected, 2f);
            Assert.Equal(expected, maskedProbs.AsSpan(r * cols, cols).ToArray());
            Softmax.LogSoftmax(row, allowed.AsSpan(r * cols, cols), expected, 2f);
            Assert.Equal(expected, maskedLogProbs.AsSpan(r * cols, cols).ToArray());
        }
        Assert.All(probs.AsSpan(2 * cols, cols).ToArray(), p => Assert.Equal(0f, p));
        Assert.All(maskedProbs.AsSpan(3 * cols, cols).ToArray(), p => Assert.Equal(0f, p));
        Assert.All(maskedLogProbs.AsSpan(3 * cols, cols).ToArray(), p => Assert.Equal(float.NegativeInfinity, p));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(40)]
    public void AllNegativeInfinityOrFullyMaskedGivesZerosNotNaN(int n)
    {
        var logits = Enumerable.Repeat(float.NegativeInfinity, n).ToArray();
        var probs = Enumerable.Repeat(7f, n).ToArray();
        Softmax.Forward(logits, probs);
        Assert.All(probs, p => Assert.Equal(0f, p));

        var finite = TestData.Uniform(n, seed: 1);
        probs = Enumerable.Repeat(7f, n).ToArray();
        Softmax.Forward(finite, new bool[n], probs);
        Assert.All(probs, p => Assert.Equal(0f, p));

        var logProbs = new float[n];
        Softmax.LogSoftmax(logits, logProbs);
        Assert.All(logProbs, p => Assert.Equal(float.NegativeInfinity, p));
    }

    [Fact]
    public void HugeFiniteLogitsDoNotOverflow()
    {
        var probs = new float[4];
        Softmax.Forward([1e30f, -1e30f, 0f, -3.4e38f], probs);
        Assert.Equal([1f, 0f, 0f, 0f], probs);

        Softmax.Forward([1e30f, 1e30f, -1e30f, 3e38f - 3e38f], probs);
        Assert.Equal([0.5f, 0.5f, 0f, 0f], probs);

        Softmax.Forward([3.4e38f, -3.4e38f, 3.4e38f, 1f], probs);   // differences overflow to -inf: exp gives 0, not NaN
        Assert.Equal([0.5f, 0f, 0.5f, 0f], probs);

        var logProbs = new float[2];
        Softmax.LogSoftmax([1e30f, -1e30f], logProbs);
        Assert.Equal(0f, logProbs[0]);
        Assert.Equal(-2e30f, logProbs[1]);
    }

    [Fact]
    public void NaNMakesTheRowNaNExceptNegativeInfinityEntries()
    {
        var probs = new float[20];
        var logits = TestData.Uniform(20, seed: 2);
        logits[13] = float.NaN;
        logits[4] = float.NegativeInfinity;
        Softmax.Forward(logits, probs);
        for (int j = 0; j < 20; j++)
            if (j == 4) Assert.Equal(0f, probs[j]);
            else Assert.True(float.IsNaN(probs[j]), $"probs[{j}] = {probs[j]}");

        // A NaN at a masked position is never looked at.
        var allowed = Enumerable.Repeat(true, 20).ToArray();
        allowed[13] = false;
        Softmax.Forward(logits, allowed, probs);
        Assert.All(probs, p => Assert.True(float.IsFinite(p)));
        Assert.Equal(1.0, probs.Sum(p => (double)p), 5);
    }

    [Fact]
    public void PositiveInfinityMakesTheRowNaNExceptNegativeInfinityEntries()
    {
        var probs = new float[3];
        Softmax.Forward([float.PositiveInfinity, 1f, float.NegativeInfinity], probs);
        Assert.True(float.IsNaN(probs[0]));
        Assert.True(float.IsNaN(probs[1]));
        Assert.Equal(0f, probs[2]);

        var logProbs = new float[3];
        Softmax.LogSoftmax([float.PositiveInfinity, 1f, float.NegativeInfinity], logProbs);
        Assert.True(float.IsNaN(logProbs[0]));
        Assert.True(float.IsNaN(logProbs[1]));
        Assert.Equal(float.NegativeInfinity, logProbs[2]);
    }

    [Fact]
    public void PowerOfTwoTemperatureEqualsDividingTheLogitsExactly()
    {
        var logits = TestData.Uniform(37, seed: 5, amplitude: 6f);
        var halved = logits.Select(x => x / 4f).ToArray();
        var withTemperature = new float[37];
        var withDivided = new float[37];
        Softmax.Forward(logits, withTemperature, temperature: 4f);
        Softmax.Forward(halved, withDivided);
        Assert.Equal(withDivided, withTemperature);
    }

    [Fact]
    public void InPlaceEqualsOutOfPlace()
    {
        var logits = TestData.Uniform(45, seed: 6, amplitude: 3f);
        var probs = new float[45];
        Softmax.Forward(logits, probs, 0.7f);
        var buffer = (float[])logits.Clone();
        Softmax.Forward(buffer, buffer, 0.7f);
        Assert.Equal(probs, buffer);

        Softmax.LogSoftmax(logits, probs);
        buffer = (float[])logits.Clone();
        Softmax.LogSoftmax(buffer, buffer);
        Assert.Equal(probs, buffer);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(1e-40f)]
    public void BadTemperatureThrowsNamingIt(float temperature)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Softmax.Forward(new float[3], new float[3], temperature));
        Assert.Equal("temperature", e.ParamName);
        Assert.Contains("positive", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Softmax.LogSoftmaxRows(new float[4], new float[4], 2, 2, temperature));
        Assert.Equal("temperature", e.ParamName);
    }

    [Fact]
    public void BadSpansThrowNamingTheArgumentAndSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => Softmax.Forward(new float[5], new float[4]));
        Assert.Equal("probs", e.ParamName);
        Assert.Contains("4", e.Message);
        Assert.Contains("5", e.Message);

        e = Assert.Throws<ArgumentException>(() => Softmax.LogSoftmax(new float[5], new float[6]));
        Assert.Equal("logProbs", e.ParamName);

        e = Assert.Throws<ArgumentException>(() => Softmax.Forward(new float[5], new bool[3], new float[5]));
        Assert.Equal("allowed", e.ParamName);
        Assert.Contains("allowed has 3 elements", e.Message);

        e = Assert.Throws<ArgumentException>(() => Softmax.ForwardRows(new float[11], new float[11], 3, 4));
        Assert.Equal("logits", e.ParamName);
        Assert.Contains("[rows=3, cols=4] needs 12", e.Message);

        var shared = new float[10];
        e = Assert.Throws<ArgumentException>(() => Softmax.Forward(shared.AsSpan(0, 8), shared.AsSpan(2, 8)));
        Assert.Equal("probs", e.ParamName);
        Assert.Contains("overlap", e.Message);

        var range = Assert.Throws<ArgumentOutOfRangeException>(() => Softmax.ForwardRows(new float[0], new float[0], -1, 0));
        Assert.Equal("rows", range.ParamName);
    }

    /// <summary>Error vs float64 at most 2 × the scalar float32 softmax's error + 8 ulps of the largest magnitude.</summary>
    private static void AssertWithinDerivedTolerance(float[] logits, float[] actual, float temperature, bool log, string what)
    {
        var exact = ScalarSoftmax.Float64(logits, temperature, log);
        var scalar = ScalarSoftmax.Float32(logits, temperature, log);
        double tolerance = Tolerance.Derived(Tolerance.MaxAbsError(scalar, exact), exact);
        Tolerance.AssertClose(actual, exact, tolerance, $"{(log ? "log-softmax" : "softmax")} {what} T={temperature}");
    }
}
