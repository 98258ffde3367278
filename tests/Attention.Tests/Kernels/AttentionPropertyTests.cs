using Attention.Tests.TestSupport;

namespace Attention.Tests.Kernels;

/// <summary>Properties that hold on every path, independent of any expected output.</summary>
public class AttentionPropertyTests
{
    public static IEnumerable<object[]> WeightPaths() => [[KernelPath.Reference], [KernelPath.Simd], [KernelPath.Auto]];
    public static IEnumerable<object[]> AllPaths() => [[KernelPath.Reference], [KernelPath.Simd], [KernelPath.Tiled], [KernelPath.Auto]];

    /// <summary>Rows sum to 1 within twice the Reference path's own deviation plus 8 ulps; fully masked rows sum to exactly 0.</summary>
    [Theory]
    [MemberData(nameof(WeightPaths))]
    public void WeightRowsSumToOne(KernelPath path)
    {
        foreach (var kind in new[] { MaskKind.None, MaskKind.Everything, MaskKind.CausalNegativeOffset, MaskKind.BiasPerHead })
        {
            var shape = new AttentionShape(3, 37, 100, 16);
            var c = new AttentionCase(shape, new AttentionOptions { Mask = Masks.Make(kind, shape, 5) }, seed: 5, amplitude: 3f);
            var (_, referenceWeights) = c.Run(KernelPath.Reference, withWeights: true);
            var (_, weights) = c.Run(path, withWeights: true);
            double tolerance = 2 * MaxRowSumDeviation(referenceWeights, shape.KeyLength) + 8 * Tolerance.FloatEpsilon;
            for (int row = 0; row < shape.Heads * shape.QueryLength; row++)
            {
                double sum = 0;
                for (int j = 0; j < shape.KeyLength; j++) sum += weights[row * shape.KeyLength + j];
                bool fullyMasked = referenceWeights.AsSpan(row * shape.KeyLength, shape.KeyLength).IndexOfAnyExcept(0f) < 0;
                if (fullyMasked) Assert.Equal(0.0, sum);
                else Assert.True(Math.Abs(sum - 1) <= tolerance, $"{kind} {path} row {row}: sum {sum:R}, tolerance {tolerance:E3}");
            }
        }
    }

    /// <summary>Every weight a mask excludes (judged here from the mask's definition) is exactly 0.</summary>
    [Theory]
    [MemberData(nameof(WeightPaths))]
    public void MaskedWeightsAreExactlyZero(KernelPath path)
    {
        var shape = new AttentionShape(4, 29, 41, 8, kvHeads: 2);
        var mask = Masks.Make(MaskKind.Everything, shape, 9);
        var c = new AttentionCase(shape, new AttentionOptions { Mask = mask }, seed: 9);
        var (_, weights) = c.Run(path, withWeights: true);
        int realKeys = mask.KeyLength!.Value, offset = shape.KeyLength - shape.QueryLength, masked = 0;
        for (int h = 0; h < shape.Heads; h++)
            for (int i = 0; i < shape.QueryLength; i++)
                for (int j = 0; j < shape.KeyLength; j++)
                {
                    int plane = i * shape.KeyLength + j;
                    bool excluded = j > i + offset || j >= realKeys || !mask.Allowed.Span[h * shape.QueryLength * shape.KeyLength + plane]
                        || mask.Bias.Span[plane] == float.NegativeInfinity;
                    if (!excluded) continue;
                    masked++;
                    Assert.Equal(0f, weights[h * shape.QueryLength * shape.KeyLength + plane]);
                }
        Assert.True(masked > 100, "the mask should exclude many keys");
    }

    /// <summary>Without masks or positions, permuting the tokens permutes the output rows and the weights.</summary>
    [Theory]
    [MemberData(nameof(AllPaths))]
    public void SelfAttentionIsPermutationEquivariant(KernelPath path)
    {
        const int heads = 2, n = 70, d = 16;
        var shape = new AttentionShape(heads, n, n, d);
        var c = new AttentionCase(shape, seed: 3, amplitude: 2f);
        var permutation = Enumerable.Range(0, n).OrderBy(i => (i * 7919) % 101).ToArray();   // a fixed shuffle
        float[] Permute(float[] x, int width)
        {
            var y = new float[x.Length];
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < n; i++)
                    x.AsSpan((h * n + i) * width, width).CopyTo(y.AsSpan((h * n + permutation[i]) * width, width));
            return y;
        }
        bool withWeights = path != KernelPath.Tiled;
        var (output, weights) = c.Run(path, withWeights);
        var permuted = new float[shape.OutputElements];
        var permutedWeights = withWeights ? new float[shape.WeightElements] : [];
        ScaledDotProductAttention.Forward(Permute(c.Q, d), Permute(c.K, d), Permute(c.V, d), permuted, shape,
            new AttentionOptions { Path = path }, permutedWeights);

        // Each of the two runs is within the derived tolerance of float64, so they are within twice that of each other.
        var (exact, exactWeights) = c.Exact();
        var (reference, referenceWeights) = c.Run(KernelPath.Reference, withWeights: true);
        double tolerance = 2 * Tolerance.Derived(Tolerance.MaxAbsError(reference, exact), exact);
        double weightTolerance = 2 * Tolerance.Derived(Tolerance.MaxAbsError(referenceWeights, exactWeights), exactWeights);
        var expected = Permute(output, d);
        for (int e = 0; e < expected.Length; e++)
            Assert.True(Math.Abs(permuted[e] - expected[e]) <= tolerance, $"{path} output[{e}]: {permuted[e]} vs {expected[e]}");
        if (!withWeights) return;
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    float a = weights[(h * n + i) * n + j], b = permutedWeights[(h * n + permutation[i]) * n + permutation[j]];
                    Assert.True(Math.Abs(a - b) <= weightTolerance, $"{path} weight[{h},{i},{j}]: {a} vs {b}");
                }
    }

    /// <summary>Multiplying Q by 2 is exactly the same as doubling the scale (powers of two scale without rounding).</summary>
    [Theory]
    [MemberData(nameof(AllPaths))]
    public void ScalingQueriesByTwoEqualsDoublingTheScale(KernelPath path)
    {
        var shape = new AttentionShape(3, 45, 77, 12, 9);
        var mask = Masks.Make(MaskKind.Everything, shape, 4);
        var c = new AttentionCase(shape, new AttentionOptions { Mask = mask }, seed: 4);
        float scale = 1f / MathF.Sqrt(12);
        var doubledQ = c.Q.Select(x => 2 * x).ToArray();
        var a = new float[shape.OutputElements];
        var b = new float[shape.OutputElements];
        ScaledDotProductAttention.Forward(doubledQ, c.K, c.V, a, shape, new AttentionOptions { Mask = mask, Path = path, Scale = scale });
        ScaledDotProductAttention.Forward(c.Q, c.K, c.V, b, shape, new AttentionOptions { Mask = mask, Path = path, Scale = 2 * scale });
        Assert.Equal(b, a);

        // A factor of 3 is not exact in binary: equal within the derived tolerance of each run.
        var tripledQ = c.Q.Select(x => 3 * x).ToArray();
        ScaledDotProductAttention.Forward(tripledQ, c.K, c.V, a, shape, new AttentionOptions { Mask = mask, Path = path, Scale = scale });
        ScaledDotProductAttention.Forward(c.Q, c.K, c.V, b, shape, new AttentionOptions { Mask = mask, Path = path, Scale = 3 * scale });
        var threeScale = new AttentionCase(shape, new AttentionOptions { Mask = mask, Scale = 3 * scale }, seed: 4);
        var (exact, _) = threeScale.Exact();
        var (reference, _) = threeScale.Run(KernelPath.Reference, false);
        double tolerance = 2 * Tolerance.Derived(Tolerance.MaxAbsError(reference, exact), exact);
        for (int e = 0; e < a.Length; e++) Assert.True(Math.Abs(a[e] - b[e]) <= tolerance, $"{path} output[{e}]: {a[e]} vs {b[e]}");
    }

    /// <summary>Rows no key passes get exactly zero output and weights, even when the masked keys and values hold NaN.</summary>
    [Theory]
    [MemberData(nameof(AllPaths))]
    public void FullyMaskedRowsAreZeroNotNaN(KernelPath path)
    {
        var shape = new AttentionShape(2, 6, 9, 4, 3);
        var allowed = Enumerable.Repeat(true, 6 * 9).ToArray();
        for (int j = 0; j < 9; j++) allowed[1 * 9 + j] = false;                     // row 1: boolean mask excludes all
        var bias = new float[6 * 9];
        for (int j = 0; j < 9; j++) bias[2 * 9 + j] = float.NegativeInfinity;      // row 2: bias excludes all
        var masks = new (AttentionMask Mask, int[] Rows)[]
        {
            (AttentionMask.Padding(0), [0, 1, 2, 3, 4, 5]),
            (AttentionMask.CausalMask(-3), [0, 1, 2]),                                 // row i sees keys j <= i - 3
            (new AttentionMask { Allowed = allowed, Bias = bias }, [1, 2]),
        };
        foreach (var (mask, rows) in masks)
        {
            var c = new AttentionCase(shape, new AttentionOptions { Mask = mask }, seed: 2);
            Array.Fill(c.K, float.NaN, 0, 9 * 4);     // NaN in every key and value of kv head 0: only unmasked ones may matter
            bool withWeights = path != KernelPath.Tiled;
            var (output, weights) = c.Run(path, withWeights);
            foreach (int h in new[] { 0, 1 })
                foreach (int i in rows)
                {
                    Assert.All(output.AsSpan((h * 6 + i) * 3, 3).ToArray(), x => Assert.Equal(0f, x));
                    if (withWeights) Assert.All(weights.AsSpan((h * 6 + i) * 9, 9).ToArray(), x => Assert.Equal(0f, x));
                }
        }
    }

    [Theory]
    [MemberData(nameof(AllPaths))]
    public void EmptySequences(KernelPath path)
    {
        var noQueries = new AttentionShape(2, 0, 5, 4);
        ScaledDotProductAttention.Forward([], new float[2 * 5 * 4], new float[2 * 5 * 4], [], noQueries, new AttentionOptions { Path = path });

        var noKeys = new AttentionShape(2, 3, 0, 4);
        var output = Enumerable.Repeat(float.NaN, 2 * 3 * 4).ToArray();
        ScaledDotProductAttention.Forward(new float[2 * 3 * 4], [], [], output, noKeys, new AttentionOptions { Path = path });
        Assert.All(output, x => Assert.Equal(0f, x));
    }

    /// <summary>Logits of ±1e30 (from the bias or from huge q·k) do not overflow: the softmax picks the maximum exactly.</summary>
    [Theory]
    [MemberData(nameof(AllPaths))]
    public void HugeLogitsDoNotOverflow(KernelPath path)
    {
        var shape = new AttentionShape(1, 5, 40, 4);
        var random = new Random(8);
        var bias = new float[5 * 40];
        for (int e = 0; e < bias.Length; e++) bias[e] = (random.Next(2) * 2 - 1) * 1e30f * (1 + e * 1e-3f);   // distinct ±1e30
        var c = new AttentionCase(shape, new AttentionOptions { Mask = new AttentionMask { Bias = bias } }, seed: 8);
        bool withWeights = path != KernelPath.Tiled;
        var (output, weights) = c.Run(path, withWeights);
        for (int i = 0; i < 5; i++)
        {
            int best = 0;
            for (int j = 1; j < 40; j++) if (bias[i * 40 + j] > bias[i * 40 + best]) best = j;
            Assert.Equal(c.V.AsSpan(best * 4, 4).ToArray(), output.AsSpan(i * 4, 4).ToArray());   // one-hot on the largest logit
            if (withWeights)
                for (int j = 0; j < 40; j++) Assert.Equal(j == best ? 1f : 0f, weights[i * 40 + j]);
        }

        // Huge q·k: |q|, |k| ~ 1e15 gives logits ~ 1e30; compare with float64 like any other case.
        var huge = new AttentionCase(new AttentionShape(2, 9, 33, 4), seed: 10, amplitude: 1e15f, name: "huge q·k");
        huge.AssertPathsMatchFloat64((path, false));
        Assert.All(huge.Run(path, false).Output, x => Assert.True(float.IsFinite(x)));
    }

    /// <summary>MaxThreads = 1 and all cores give bit-identical results (the work split never changes the arithmetic).</summary>
    [Theory]
    [InlineData(KernelPath.Simd)]
    [InlineData(KernelPath.Tiled)]
    public void ThreadCountDoesNotChangeResults(KernelPath path)
    {
        var shape = new AttentionShape(2, 130, 130, 32);   // above WorkSplitter.ParallelMinimumFlops on both paths
        var c = new AttentionCase(shape, new AttentionOptions { Mask = AttentionMask.CausalMask() }, seed: 6);
        var one = new float[shape.OutputElements];
        var all = new float[shape.OutputElements];
        ScaledDotProductAttention.Forward(c.Q, c.K, c.V, one, shape, c.Options with { Path = path, MaxThreads = 1 });
        ScaledDotProductAttention.Forward(c.Q, c.K, c.V, all, shape, c.Options with { Path = path, MaxThreads = 4 });
        Assert.Equal(one, all);
    }

    [Fact]
    public void ChoosePathFollowsTheDocumentedRule()
    {
        var large = new AttentionShape(8, 256, 256, 64);
        var small = new AttentionShape(8, 1, 256, 64);
        Assert.Equal(KernelPath.Tiled, ScaledDotProductAttention.ChoosePath(large));
        Assert.Equal(KernelPath.Simd, ScaledDotProductAttention.ChoosePath(large, withWeights: true));
        Assert.Equal(KernelPath.Tiled, ScaledDotProductAttention.ChoosePath(small));                       // one query row: still tiled
        Assert.Equal(KernelPath.Tiled, ScaledDotProductAttention.ChoosePath(new AttentionShape(1, 100, 8, 4)));
        Assert.Equal(KernelPath.Simd, ScaledDotProductAttention.ChoosePath(small, withWeights: true));
        Assert.Equal(KernelPath.Reference, ScaledDotProductAttention.ChoosePath(large, new AttentionOptions { Path = KernelPath.Reference }, withWeights: true));
        Assert.Equal(KernelPath.Tiled, ScaledDotProductAttention.ChoosePath(small, new AttentionOptions { Path = KernelPath.Tiled }));
        var e = Assert.Throws<ArgumentException>(() => ScaledDotProductAttention.ChoosePath(large, new AttentionOptions { Path = KernelPath.Tiled }, withWeights: true));
        Assert.Equal("weights", e.ParamName);
    }

    private static double MaxRowSumDeviation(float[] weights, int keys)
    {
        double max = 0;
        for (int row = 0; row < weights.Length / Math.Max(keys, 1); row++)
        {
            double sum = 0;
            for (int j = 0; j < keys; j++) sum += weights[row * keys + j];
            if (sum != 0) max = Math.Max(max, Math.Abs(sum - 1));
        }
        return max;
    }
}
