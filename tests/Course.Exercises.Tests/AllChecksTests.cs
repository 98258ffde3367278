using Course.Exercises;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises.Tests;

/// <summary>Behaviour every check shares: stubs, null results, near-misses, a missing function.</summary>
public class AllChecksTests
{
    private static T Stub<T>() => throw new NotImplementedException();

    /// <summary>Each check called with a stub that throws NotImplementedException, as a notebook's exercise cell starts.</summary>
    private static readonly Dictionary<string, Func<CheckResult>> Stubs = new()
    {
        ["DotProduct"] = () => Check.DotProduct((a, b) => Stub<float>()),
        ["CosineSimilarity"] = () => Check.CosineSimilarity((a, b) => Stub<float>()),
        ["ScoreMatrix"] = () => Check.ScoreMatrix((q, k) => Stub<Matrix<float>>()),
        ["Projections"] = () => Check.Projections((x, q, k, v) => Stub<(Matrix<float>, Matrix<float>, Matrix<float>)>()),
        ["Softmax"] = () => Check.Softmax(x => Stub<float[]>()),
        ["SoftmaxRows"] = () => Check.SoftmaxRows(s => Stub<Matrix<float>>()),
        ["SoftmaxWithTemperature"] = () => Check.SoftmaxWithTemperature((x, t) => Stub<float[]>()),
        ["Attention"] = () => Check.Attention((q, k, v) => Stub<Matrix<float>>()),
        ["AttentionWithWeights"] = () => Check.AttentionWithWeights((q, k, v) => Stub<(Matrix<float>, Matrix<float>)>()),
        ["CausalMask"] = () => Check.CausalMask(n => Stub<bool[,]>()),
        ["MaskedSoftmax"] = () => Check.MaskedSoftmax((s, m) => Stub<Matrix<float>>()),
        ["MaskedAttention"] = () => Check.MaskedAttention((q, k, v, m) => Stub<Matrix<float>>()),
        ["PaddingAttention"] = () => Check.PaddingAttention((q, k, v, n) => Stub<Matrix<float>>()),
        ["KvCacheStep"] = () => Check.KvCacheStep((kc, vc, q, k, v) => Stub<float[]>()),
        ["SplitHeads"] = () => Check.SplitHeads((x, h) => Stub<Matrix<float>[]>()),
        ["MergeHeads"] = () => Check.MergeHeads(h => Stub<Matrix<float>>()),
        ["MultiHeadAttention"] = () => Check.MultiHeadAttention((x, q, k, v, o, h) => Stub<Matrix<float>>()),
        ["CrossAttention"] = () => Check.CrossAttention((d, e, q, k, v) => Stub<Matrix<float>>()),
        ["SinusoidalEncoding"] = () => Check.SinusoidalEncoding((n, d) => Stub<Matrix<float>>()),
        ["Rope"] = () => Check.Rope((x, p) => Stub<float[]>()),
        ["OnlineSoftmax"] = () => Check.OnlineSoftmax(b => Stub<(float, float)>()),
        ["OnlineSoftmaxCombine"] = () => Check.OnlineSoftmaxCombine((a, b) => Stub<(float, float)>()),
        ["LayerNorm"] = () => Check.LayerNorm((x, g, b, e) => Stub<Matrix<float>>()),
    };

    /// <summary>Each check with a function returning null where its result is an object.</summary>
    private static readonly Dictionary<string, Func<CheckResult>> Nulls = new()
    {
        ["ScoreMatrix"] = () => Check.ScoreMatrix((q, k) => null!),
        ["Projections"] = () => Check.Projections((x, q, k, v) => (null!, null!, null!)),
        ["Softmax"] = () => Check.Softmax(x => null!),
        ["SoftmaxRows"] = () => Check.SoftmaxRows(s => null!),
        ["SoftmaxWithTemperature"] = () => Check.SoftmaxWithTemperature((x, t) => null!),
        ["Attention"] = () => Check.Attention((q, k, v) => null!),
        ["AttentionWithWeights"] = () => Check.AttentionWithWeights((q, k, v) => (null!, null!)),
        ["CausalMask"] = () => Check.CausalMask(n => null!),
        ["MaskedSoftmax"] = () => Check.MaskedSoftmax((s, m) => null!),
        ["MaskedAttention"] = () => Check.MaskedAttention((q, k, v, m) => null!),
        ["PaddingAttention"] = () => Check.PaddingAttention((q, k, v, n) => null!),
        ["KvCacheStep"] = () => Check.KvCacheStep((kc, vc, q, k, v) => null!),
        ["SplitHeads"] = () => Check.SplitHeads((x, h) => null!),
        ["MergeHeads"] = () => Check.MergeHeads(h => null!),
        ["MultiHeadAttention"] = () => Check.MultiHeadAttention((x, q, k, v, o, h) => null!),
        ["CrossAttention"] = () => Check.CrossAttention((d, e, q, k, v) => null!),
        ["SinusoidalEncoding"] = () => Check.SinusoidalEncoding((n, d) => null!),
        ["Rope"] = () => Check.Rope((x, p) => null!),
        ["LayerNorm"] = () => Check.LayerNorm((x, g, b, e) => null!),
    };

    /// <summary>Each check with its solution's result times <c>nudge</c> (1 + 1e-4: far below what a reader sees, far above float32 rounding).</summary>
    private static readonly Dictionary<string, Func<float, CheckResult>> NearMisses = new()
    {
        ["DotProduct"] = nudge => Check.DotProduct((a, b) => Solutions.DotProduct(a, b) * nudge),
        ["CosineSimilarity"] = nudge => Check.CosineSimilarity((a, b) => Solutions.CosineSimilarity(a, b) * nudge),
        ["ScoreMatrix"] = nudge => Check.ScoreMatrix((q, k) => Solutions.ScoreMatrix(q, k) * nudge),
        ["Projections"] = nudge => Check.Projections((x, q, k, v) => { var (a, b, c) = Solutions.Projections(x, q, k, v); return (a, b, c * nudge); }),
        ["Softmax"] = nudge => Check.Softmax(x => Solutions.Softmax(x).Select(p => p * nudge).ToArray()),
        ["SoftmaxRows"] = nudge => Check.SoftmaxRows(s => Solutions.SoftmaxRows(s) * nudge),
        ["SoftmaxWithTemperature"] = nudge => Check.SoftmaxWithTemperature((x, t) => Solutions.SoftmaxWithTemperature(x, t).Select(p => p * nudge).ToArray()),
        ["Attention"] = nudge => Check.Attention((q, k, v) => Solutions.Attention(q, k, v) * nudge),
        ["AttentionWithWeights"] = nudge => Check.AttentionWithWeights((q, k, v) => { var (o, w) = Solutions.AttentionWithWeights(q, k, v); return (o, w * nudge); }),
        ["MaskedSoftmax"] = nudge => Check.MaskedSoftmax((s, m) => Solutions.MaskedSoftmax(s, m) * nudge),
        ["MaskedAttention"] = nudge => Check.MaskedAttention((q, k, v, m) => Solutions.MaskedAttention(q, k, v, m) * nudge),
        ["PaddingAttention"] = nudge => Check.PaddingAttention((q, k, v, n) => Solutions.PaddingAttention(q, k, v, n) * nudge),
        ["KvCacheStep"] = nudge => Check.KvCacheStep((kc, vc, q, k, v) => Solutions.KvCacheStep(kc, vc, q, k, v).Select(x => x * nudge).ToArray()),
        ["SplitHeads"] = nudge => Check.SplitHeads((x, h) => Solutions.SplitHeads(x, h).Select(m => m * nudge).ToArray()),
        ["MergeHeads"] = nudge => Check.MergeHeads(h => Solutions.MergeHeads(h) * nudge),
        ["MultiHeadAttention"] = nudge => Check.MultiHeadAttention((x, q, k, v, o, h) => Solutions.MultiHeadAttention(x, q, k, v, o, h) * nudge),
        ["CrossAttention"] = nudge => Check.CrossAttention((d, e, q, k, v) => Solutions.CrossAttention(d, e, q, k, v) * nudge),
        ["SinusoidalEncoding"] = nudge => Check.SinusoidalEncoding((n, d) => Solutions.SinusoidalEncoding(n, d) * nudge),
        ["Rope"] = nudge => Check.Rope((x, p) => Solutions.Rope(x, p).Select(v => v * nudge).ToArray()),
        ["OnlineSoftmax"] = nudge => Check.OnlineSoftmax(b => { var (m, s) = Solutions.OnlineSoftmax(b); return (m, s * nudge); }),
        ["OnlineSoftmaxCombine"] = nudge => Check.OnlineSoftmaxCombine((a, b) => { var (m, s) = Solutions.OnlineSoftmaxCombine(a, b); return (m, s * nudge); }),
        ["LayerNorm"] = nudge => Check.LayerNorm((x, g, b, e) => Solutions.LayerNorm(x, g, b, e) * nudge),
    };

    public static TheoryData<string> StubNames => new(Stubs.Keys);
    public static TheoryData<string> NullNames => new(Nulls.Keys);

    [Fact]
    public void EveryCheckIsCoveredByTheStubTest() =>
        Assert.Equal(SolutionsTests.All.Keys.Order(), Stubs.Keys.Order());

    [Theory]
    [MemberData(nameof(StubNames))]
    public void StubSaysNotImplementedYet(string exercise)
    {
        CheckResult result = Stubs[exercise]();
        Expect.Fails(result, "not-implemented", "Not implemented yet: replace the `throw new NotImplementedException();` with your code.");
        Assert.Throws<ExerciseCheckFailedException>(() => result.ShouldPass());
    }

    [Theory]
    [MemberData(nameof(NullNames))]
    public void NullResultIsReportedWithoutCrashing(string exercise)
    {
        CheckResult result = Nulls[exercise]();
        Expect.Fails(result, "output", "is null: your function should return");
        Assert.NotNull(result.Hint);
    }

    /// <summary>
    /// Every check rejects a 1e-4 relative error on its first case, and every check but multi-head attention (whose
    /// bound, through five chained products, is wider) a 1e-5 one too: its bound there is one to two orders of magnitude
    /// below. A bound made 100 times too loose in one check (RoPE's angles, the combine's rescale, …) would pass 1e-5.
    /// </summary>
    public static TheoryData<string, float> NearMissCases
    {
        get
        {
            var cases = new TheoryData<string, float>();
            foreach (string name in NearMisses.Keys)
            {
                cases.Add(name, 1e-4f);
                if (name != "MultiHeadAttention") cases.Add(name, 1e-5f);
            }
            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(NearMissCases))]
    public void ResultOffByASmallRelativeErrorFailsOnTheFirstCase(string exercise, float relativeError)
    {
        CheckResult result = NearMisses[exercise](1 + relativeError);
        Assert.False(result.Passed, $"A {relativeError:G1} relative error passed {exercise}: the tolerance is too loose.\n{result}");
        Assert.StartsWith("Case 1 of", result.Message);
    }

    [Fact]
    public void NullFunctionIsAFailedResultNotAnException()
    {
        Expect.Fails(Check.Softmax(null!), "no-function", "No function was passed");
        Expect.Fails(Check.Attention(null!), "no-function");
    }

    [Fact]
    public void ExceptionsOtherThanNotImplementedAreReportedWithTheirMessage()
    {
        CheckResult result = Check.Softmax(x => throw new InvalidOperationException("boom"));
        Expect.Fails(result, "exception", "Case 1 of 7", "your function threw InvalidOperationException: boom");
        Assert.Contains("✗ x = [1, 2, 3]", result.Details);
    }
}
