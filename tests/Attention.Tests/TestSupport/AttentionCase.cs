using Attention;

namespace Attention.Tests.TestSupport;

/// <summary>
/// One attention call to test: shape, options and seeded inputs, plus helpers to run it on any path and to compare
/// with <see cref="Float64Attention"/> using a tolerance derived from the scalar float32 reference's own error.
/// </summary>
public sealed class AttentionCase
{
    public AttentionShape Shape { get; }
    public AttentionOptions Options { get; }
    public float[] Q { get; }
    public float[] K { get; }
    public float[] V { get; }
    public string Name { get; }

    public AttentionCase(AttentionShape shape, AttentionOptions? options = null, int seed = 1, float amplitude = 1f, string? name = null)
    {
        Shape = shape;
        Options = options ?? AttentionOptions.Default;
        Q = TestData.Uniform(shape.QueryElements, seed * 3 + 1, amplitude);
        K = TestData.Uniform(shape.KeyElements, seed * 3 + 2, amplitude);
        V = TestData.Uniform(shape.ValueElements, seed * 3 + 3);
        Name = name ?? shape.ToString();
    }

    /// <summary>Run on <paramref name="path"/>; weights are requested when <paramref name="withWeights"/>.</summary>
    public (float[] Output, float[] Weights) Run(KernelPath path, bool withWeights)
    {
        var output = new float[Shape.OutputElements];
        var weights = withWeights ? new float[Shape.WeightElements] : [];
        ScaledDotProductAttention.Forward(Q, K, V, output, Shape, Options with { Path = path }, weights);
        return (output, weights);
    }

    /// <summary>Exact float64 result.</summary>
    public (double[] Output, double[] Weights) Exact() => Float64Attention.Forward(Q, K, V, Shape, Options);

    /// <summary>
    /// Assert that each (path, withWeights) run is within 2 × (the float32 Reference path's error) + 8 ulps of the
    /// largest value of float64, for the output and, when requested, the weights; for the output the ulps are of the larger
    /// of that value and the largest Σ w·|v| (<see cref="Tolerance.DerivedForWeightedSums"/>). Also checks the Reference path itself
    /// against <see cref="ErrorModel.ReferenceBound"/> so that a broken reference cannot widen the tolerance.
    /// </summary>
    public void AssertPathsMatchFloat64(params (KernelPath Path, bool WithWeights)[] runs)
    {
        var (exactOutput, exactWeights) = Exact();
        var (refOutput, refWeights) = Run(KernelPath.Reference, withWeights: true);
        double refError = Tolerance.MaxAbsError(refOutput, exactOutput);
        double bound = ErrorModel.ReferenceBound(this);
        Assert.True(refError <= bound, $"{Name}: Reference error {refError:E3} exceeds the error model's bound {bound:E3}");
        double outputTolerance = Tolerance.DerivedForWeightedSums(refError, exactOutput, WeightedValueMagnitude(exactWeights));
        double weightTolerance = Tolerance.Derived(Tolerance.MaxAbsError(refWeights, exactWeights), exactWeights);

        foreach (var (path, withWeights) in runs)
        {
            var (output, weights) = Run(path, withWeights);
            Tolerance.AssertClose(output, exactOutput, outputTolerance, $"{Name} {path} output");
            if (withWeights) Tolerance.AssertClose(weights, exactWeights, weightTolerance, $"{Name} {path} weights");
        }
    }

    /// <summary>The largest Σ_j w[h, i, j]·|v[h / group, j, c]| over heads, query rows and value columns (finite terms only).</summary>
    private double WeightedValueMagnitude(double[] weights)
    {
        int heads = Shape.Heads, nQ = Shape.QueryLength, nK = Shape.KeyLength, dV = Shape.ValueDim, group = Shape.GroupSize;
        double largest = 0;
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < nQ; i++)
                for (int c = 0; c < dV; c++)
                {
                    double sum = 0;
                    for (int j = 0; j < nK; j++)
                    {
                        double term = weights[(h * nQ + i) * nK + j] * Math.Abs(V[((h / group) * nK + j) * dV + c]);
                        if (double.IsFinite(term)) sum += term;
                    }
                    largest = Math.Max(largest, sum);
                }
        return largest;
    }

    /// <summary>
    /// Every path: Simd and Auto with and without weights, Tiled without, Reference without (with weights it is the
    /// run every tolerance is derived from, checked against the error model).
    /// </summary>
    public static readonly (KernelPath, bool)[] AllPaths =
    [
        (KernelPath.Reference, false),
        (KernelPath.Simd, false), (KernelPath.Simd, true),
        (KernelPath.Tiled, false),
        (KernelPath.Auto, false), (KernelPath.Auto, true),
    ];
}
