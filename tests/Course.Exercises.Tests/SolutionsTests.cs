using Course.Exercises;

namespace Course.Exercises.Tests;

/// <summary>Every check passes the reference solution of its exercise.</summary>
public class SolutionsTests
{
    public static TheoryData<string> Exercises => new(All.Keys);

    internal static readonly Dictionary<string, Func<CheckResult>> All = new()
    {
        ["DotProduct"] = () => Check.DotProduct(Solutions.DotProduct),
        ["CosineSimilarity"] = () => Check.CosineSimilarity(Solutions.CosineSimilarity),
        ["ScoreMatrix"] = () => Check.ScoreMatrix(Solutions.ScoreMatrix),
        ["Projections"] = () => Check.Projections(Solutions.Projections),
        ["Softmax"] = () => Check.Softmax(Solutions.Softmax),
        ["SoftmaxRows"] = () => Check.SoftmaxRows(Solutions.SoftmaxRows),
        ["SoftmaxWithTemperature"] = () => Check.SoftmaxWithTemperature(Solutions.SoftmaxWithTemperature),
        ["Attention"] = () => Check.Attention(Solutions.Attention),
        ["AttentionWithWeights"] = () => Check.AttentionWithWeights(Solutions.AttentionWithWeights),
        ["CausalMask"] = () => Check.CausalMask(Solutions.CausalMask),
        ["MaskedSoftmax"] = () => Check.MaskedSoftmax(Solutions.MaskedSoftmax),
        ["MaskedAttention"] = () => Check.MaskedAttention(Solutions.MaskedAttention),
        ["PaddingAttention"] = () => Check.PaddingAttention(Solutions.PaddingAttention),
        ["KvCacheStep"] = () => Check.KvCacheStep(Solutions.KvCacheStep),
        ["SplitHeads"] = () => Check.SplitHeads(Solutions.SplitHeads),
        ["MergeHeads"] = () => Check.MergeHeads(Solutions.MergeHeads),
        ["MultiHeadAttention"] = () => Check.MultiHeadAttention(Solutions.MultiHeadAttention),
        ["CrossAttention"] = () => Check.CrossAttention(Solutions.CrossAttention),
        ["SinusoidalEncoding"] = () => Check.SinusoidalEncoding(Solutions.SinusoidalEncoding),
        ["Rope"] = () => Check.Rope(Solutions.Rope),
        ["OnlineSoftmax"] = () => Check.OnlineSoftmax(Solutions.OnlineSoftmax),
        ["OnlineSoftmaxCombine"] = () => Check.OnlineSoftmaxCombine(Solutions.OnlineSoftmaxCombine),
        ["LayerNorm"] = () => Check.LayerNorm(Solutions.LayerNorm),
    };

    [Theory]
    [MemberData(nameof(Exercises))]
    public void ReferenceSolutionPasses(string exercise)
    {
        CheckResult result = All[exercise]();
        Expect.Passes(result);
        Assert.Equal("passed", result.Diagnosis);
        Assert.All(result.Details, line => Assert.StartsWith("✓", line));
    }

    [Fact]
    public void EveryPublicCheckHasASolutionTest()
    {
        var checks = typeof(Check).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static).Select(m => m.Name).ToHashSet();
        Assert.Equal(checks.Order(), All.Keys.Order());
        var solutions = typeof(Solutions).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static).Select(m => m.Name).ToHashSet();
        Assert.Subset(solutions, checks);
    }
}
