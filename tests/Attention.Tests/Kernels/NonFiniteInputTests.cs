using Attention.Tests.TestSupport;

namespace Attention.Tests.Kernels;

/// <summary>The documented behaviour of ScaledDotProductAttention.Forward for NaN and infinities, on every path.</summary>
public class NonFiniteInputTests
{
    public static IEnumerable<object[]> AllPaths() => [[KernelPath.Reference], [KernelPath.Simd], [KernelPath.Tiled], [KernelPath.Auto]];

    private const int NQ = 7, NK = 10, D = 4;
    private static readonly AttentionShape Shape = new(1, NQ, NK, D);

    private static (float[] Output, float[] Weights) Run(AttentionCase c, KernelPath path) => c.Run(path, withWeights: path != KernelPath.Tiled);

    private static bool RowIsNaN(float[] output, int row) => output.AsSpan(row * D, D).ToArray().All(float.IsNaN);
    private static bool RowIsFinite(float[] output, int row) => output.AsSpan(row * D, D).ToArray().All(float.IsFinite);

    [Theory]
    [MemberData(nameof(AllPaths))]
    public void NaNInAQueryMakesOnlyThatRowNaN(KernelPath path)
    {
        var c = new AttentionCase(Shape, new AttentionOptions { Mask = AttentionMask.CausalMask() }, seed: 1);
        c.Q[3 * D + 2] = float.NaN;
        var (output, weights) = Run(c, path);
        for (int i = 0; i < NQ; i++) Assert.True(i == 3 ? RowIsNaN(output, i) : RowIsFinite(output, i), $"row {i}");
        if (weights.Length == 0) return;
        int visible = 3 + NK - NQ + 1;   // causal: query 3 sees keys 0..6
        for (int j = 0; j < NK; j++)
            Assert.True(j < visible ? float.IsNaN(weights[3 * NK + j]) : weights[3 * NK + j] == 0f, $"weight[3, {j}] = {weights[3 * NK + j]}");
        c.AssertPathsMatchFloat64((path, path != KernelPath.Tiled));
    }

    [Theory]
    [MemberData(nameof(AllPaths))]
    public void NaNInAKeyReachesExactlyTheRowsThatSeeIt(KernelPath path)
    {
        var c = new AttentionCase(Shape, new AttentionOptions { Mask = AttentionMask.CausalMask() }, seed: 2);
        c.K[6 * D] = float.NaN;                                   // key 6: seen by queries i with 6 <= i + 3
        var (output, _) = Run(c, path);
        for (int i = 0; i < NQ; i++) Assert.True(i >= 3 ? RowIsNaN(output, i) : RowIsFinite(output, i), $"row {i}");
        c.AssertPathsMatchFloat64((path, path != KernelPath.Tiled));
    }

    [Theory]
    [MemberData(nameof(AllPaths))]
    public void NaNInAValueReachesEveryRowAttendingToIt(KernelPath path)
    {
        var c = new AttentionCase(Shape, new AttentionOptions { Mask = AttentionMask.CausalMask() }, seed: 3);
        c.V[5 * D + 1] = float.NaN;                               // value 5: seen by queries i >= 2
        var (output, _) = Run(c, path);
        for (int i = 0; i < NQ; i++)
        {
            bool attends = i >= 2;
            Assert.True(attends ? float.IsNaN(output[i * D + 1]) : RowIsFinite(output, i), $"row {i}");
        }
    }

    [Theory]
    [MemberData(nameof(AllPaths))]
    public void InfinityInAnUnmaskedValueGivesNonFiniteOutputs(KernelPath path)
    {
        var c = new AttentionCase(Shape, seed: 4);
        c.V[4 * D] = float.PositiveInfinity;
        var (output, _) = Run(c, path);
        for (int i = 0; i < NQ; i++)
        {
            Assert.False(float.IsFinite(output[i * D]), $"row {i}");
            Assert.True(float.IsFinite(output[i * D + 1]), $"row {i} other column");
        }
    }

    /// <summary>Masked keys and values are never used: NaN or ±inf stored there cannot reach the output, for every mask kind.</summary>
    [Theory]
    [MemberData(nameof(AllPaths))]
    public void NonFiniteValuesInMaskedKeysAreHarmless(KernelPath path)
    {
        var allowed = Enumerable.Repeat(true, NQ * NK).ToArray();
        var bias = new float[NQ * NK];
        for (int i = 0; i < NQ; i++) { allowed[i * NK + 1] = false; bias[i * NK + 2] = float.NegativeInfinity; }
        var masks = new AttentionMask[]
        {
            new() { Allowed = allowed, Bias = bias, KeyLength = 8 },   // key 1 boolean, key 2 bias, keys 8, 9 padding
            new() { Causal = true, Allowed = allowed, Bias = bias, KeyLength = 8 },
        };
        foreach (var mask in masks)
        {
            var c = new AttentionCase(Shape, new AttentionOptions { Mask = mask }, seed: 5);
            foreach (int key in new[] { 1, 2, 8, 9 })
            {
                c.K[key * D] = float.NaN; c.K[key * D + 1] = float.PositiveInfinity;
                c.V[key * D] = float.NaN; c.V[key * D + 1] = float.NegativeInfinity;
            }
            var (output, weights) = Run(c, path);
            Assert.All(output, x => Assert.True(float.IsFinite(x)));
            Assert.All(weights, x => Assert.True(float.IsFinite(x)));
            c.AssertPathsMatchFloat64((path, path != KernelPath.Tiled));
        }
    }

    /// <summary>A +inf logit (here from the bias) makes its row NaN; masked weights in that row stay 0.</summary>
    [Theory]
    [MemberData(nameof(AllPaths))]
    public void PositiveInfinityLogitMakesTheRowNaN(KernelPath path)
    {
        var bias = new float[NQ * NK];
        bias[2 * NK + 5] = float.PositiveInfinity;
        bias[2 * NK + 7] = float.NegativeInfinity;
        var c = new AttentionCase(Shape, new AttentionOptions { Mask = new AttentionMask { Bias = bias } }, seed: 6);
        var (output, weights) = Run(c, path);
        for (int i = 0; i < NQ; i++) Assert.True(i == 2 ? RowIsNaN(output, i) : RowIsFinite(output, i), $"row {i}");
        if (weights.Length == 0) return;
        for (int j = 0; j < NK; j++)
            Assert.True(j == 7 ? weights[2 * NK + j] == 0f : float.IsNaN(weights[2 * NK + j]), $"weight[2, {j}]");
    }

    /// <summary>A logit that overflows to -inf (q·k of huge opposite-signed vectors) is treated like a masked key.</summary>
    [Theory]
    [MemberData(nameof(AllPaths))]
    public void NegativeInfinityLogitActsAsAMask(KernelPath path)
    {
        // 10 keys leave a partial vector at every SIMD width; 32 fill whole vectors, where the tiled kernel first tries
        // a lagging shift (TileSoftmax) and must notice the -inf there. Only key 3 and query 0 have a first coordinate,
        // so every other logit stays moderate (a huge one would send the step to the exact path).
        foreach (int keyLength in new[] { NK, 32 })
        {
            var shape = new AttentionShape(1, NQ, keyLength, D);
            var c = new AttentionCase(shape, seed: 7);
            for (int j = 0; j < keyLength; j++) c.K[j * D] = 0f;
            for (int i = 0; i < NQ; i++) c.Q[i * D] = 0f;
            c.K[3 * D] = -1e30f;
            c.Q[0] = 1e20f;                                                                      // q_0 · k_3 = -inf in float32
            c.V[3 * D] = float.NaN;                                                              // never read for query 0
            var (output, weights) = Run(c, path);
            Assert.True(RowIsFinite(output, 0), $"n_k = {keyLength}: row 0");
            if (weights.Length > 0) Assert.Equal(0f, weights[3]);

            // Query 0 then equals attention with key 3 masked out; queries 1.. all see the NaN value.
            var allowed = Enumerable.Repeat(true, NQ * keyLength).ToArray();
            allowed[3] = false;
            var masked = new float[shape.OutputElements];
            var taken = ScaledDotProductAttention.ChoosePath(shape, new AttentionOptions { Path = path }, withWeights: weights.Length > 0);   // Auto: the same kernel
            ScaledDotProductAttention.Forward(c.Q, c.K, c.V, masked, shape, new AttentionOptions { Path = taken, Mask = new AttentionMask { Allowed = allowed } });
            Assert.Equal(masked.AsSpan(0, D).ToArray(), output.AsSpan(0, D).ToArray());
            for (int i = 1; i < NQ; i++) Assert.True(float.IsNaN(output[i * D]), $"n_k = {keyLength}: row {i}");
        }
    }
}
