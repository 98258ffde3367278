using Xunit.Abstractions;

namespace Attention.MiniLM.Tests;

/// <summary>
/// The course library's forward pass against ONNX Runtime 1.31.1 running the same graph. Bounds: attention
/// probabilities within 1e-5 and last_hidden_state within 1e-4 (absolute). Both are float32 computations of the same
/// arithmetic in different orders; the measured gaps (printed) are near 1e-6, so the bounds leave headroom for
/// rounding differences but would catch any wrong weight, transpose, scale, mask or epsilon (those move values by 1e-2 or more).
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class OnnxRuntimeAgreementTests(ModelFixture fixture, ITestOutputHelper log)
{
    private const double ProbabilityTolerance = 1e-5;
    private const double HiddenStateTolerance = 1e-4;

    [Theory]
    [MemberData(nameof(Sentences.VariedData), MemberType = typeof(Sentences))]
    public void OneSentenceMatchesOnnxRuntime(string sentence)
    {
        var ours = fixture.Model.EncodeBatch([sentence]);
        var theirs = fixture.Runtime.Run(ours.TokenIds, 1, ours.Length, ours.Lengths);
        AssertAgreement(ours, theirs, $"n = {ours.Length}");
    }

    [Fact]
    public void PaddedBatchMatchesOnnxRuntime()
    {
        // Lengths 3, 19, 16, 28, 63: four of the five sequences carry padding, masked in both runtimes.
        var ours = fixture.Model.EncodeBatch(Sentences.Varied);
        Assert.True(ours.Lengths.Distinct().Count() == Sentences.Varied.Length, "the batch should mix lengths");
        var theirs = fixture.Runtime.Run(ours.TokenIds, ours.BatchSize, ours.Length, ours.Lengths);
        AssertAgreement(ours, theirs, $"batch of {ours.BatchSize}, L = {ours.Length}");
    }

    [Theory]
    [InlineData(KernelPath.Reference)]
    [InlineData(KernelPath.Simd)]
    [InlineData(KernelPath.Tiled)]
    [InlineData(KernelPath.Auto)]
    public void EveryKernelPathMatchesOnnxRuntime(KernelPath path)
    {
        var options = new AttentionOptions { Path = path };
        var ours = fixture.Model.EncodeBatch([Sentences.Example, Sentences.Varied[4]], options);
        var theirs = fixture.Runtime.Run(ours.TokenIds, ours.BatchSize, ours.Length, ours.Lengths);
        AssertAgreement(ours, theirs, $"path {path}");
    }

    [Fact]
    public void WithoutWeightsTheHiddenStatesStillMatch()
    {
        var options = new AttentionOptions { Path = KernelPath.Tiled };
        var ours = fixture.Model.EncodeBatch([Sentences.Varied[4], Sentences.Animal], options, keepAttentionWeights: false);
        Assert.Empty(ours.AttentionWeights);
        var theirs = fixture.Runtime.Run(ours.TokenIds, ours.BatchSize, ours.Length, ours.Lengths);
        var (error, _) = HiddenStateDifference(ours, theirs);
        log.WriteLine($"tiled, no weights: last_hidden_state (real tokens) max |Δ| {error:E2}");
        Assert.True(error <= HiddenStateTolerance, $"last_hidden_state differs by {error:E2} > {HiddenStateTolerance:E0}");
    }

    [Fact]
    public void PaddingDoesNotChangeASequence()
    {
        // A sequence's real part is the same alone and padded in a batch: padding keys get weight exactly 0.
        var alone = fixture.Model.Encode(Sentences.Animal);
        var batch = fixture.Model.EncodeBatch([Sentences.Varied[4], Sentences.Animal]);
        var padded = batch.Sequence(1);
        Assert.Equal(alone.Tokens, padded.Tokens);
        double error = Compare.MaxAbsDiff(alone.LastHiddenState, padded.LastHiddenState);
        for (int layer = 0; layer < alone.AttentionWeights.Count; layer++)
            error = Math.Max(error, Compare.MaxAbsDiff(alone.AttentionWeights[layer], padded.AttentionWeights[layer]));
        log.WriteLine($"alone vs padded: max |Δ| {error:E2}");
        Assert.True(error <= 1e-6, $"padding changed the sequence by {error:E2}");

        int n = batch.Lengths[1], L = batch.Length, heads = batch.Config.Heads;
        foreach (var weights in batch.AttentionWeights)
            for (int h = 0; h < heads; h++)
                for (int q = 0; q < L; q++)
                    for (int k = n; k < L; k++)
                        Assert.Equal(0f, weights[(((1 * heads) + h) * L + q) * L + k]);
    }

    private void AssertAgreement(MiniLMBatchOutput ours, OnnxRuntimeReference.Result theirs, string label)
    {
        Assert.Equal(ours.Config.Layers, theirs.Probabilities.Count);
        double worstProbability = 0;
        for (int layer = 0; layer < ours.Config.Layers; layer++)
        {
            double error = Compare.MaxAbsDiff(ours.AttentionWeights[layer], theirs.Probabilities[layer]);
            worstProbability = Math.Max(worstProbability, error);
            Assert.True(error <= ProbabilityTolerance, $"{label}: layer {layer} attention probabilities differ by {error:E2} > {ProbabilityTolerance:E0}");
        }
        var (hidden, padding) = HiddenStateDifference(ours, theirs);
        log.WriteLine($"{label}: attention probabilities max |Δ| {worstProbability:E2}, last_hidden_state (real tokens) max |Δ| {hidden:E2}" +
                      (ours.Lengths.Any(n => n < ours.Length) ? $", at padding positions {padding:E2}" : ""));
        Assert.True(hidden <= HiddenStateTolerance, $"{label}: last_hidden_state differs by {hidden:E2} > {HiddenStateTolerance:E0}");
    }

    /// <summary>
    /// Largest difference of last_hidden_state over the real tokens, and over the padding positions. Rows at padding
    /// positions are computed by both runtimes but mean nothing (a [PAD] token attending to a few real ones, then a
    /// LayerNorm that amplifies rounding): they are logged, not checked.
    /// </summary>
    private static (double Real, double Padding) HiddenStateDifference(MiniLMBatchOutput ours, OnnxRuntimeReference.Result theirs)
    {
        double real = 0, padding = 0;
        int L = ours.Length, d = ours.Config.ModelDim;
        for (int b = 0; b < ours.BatchSize; b++)
        {
            int n = ours.Lengths[b];
            real = Math.Max(real, Compare.MaxAbsDiff(ours.LastHiddenState.AsSpan(b * L * d, n * d), theirs.LastHiddenState.AsSpan(b * L * d, n * d)));
            padding = Math.Max(padding, Compare.MaxAbsDiff(ours.LastHiddenState.AsSpan((b * L + n) * d, (L - n) * d), theirs.LastHiddenState.AsSpan((b * L + n) * d, (L - n) * d)));
        }
        return (real, padding);
    }
}
