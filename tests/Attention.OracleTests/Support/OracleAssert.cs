using Xunit.Abstractions;

namespace Attention.OracleTests.Support;

/// <summary>The comparisons every oracle test makes, with their numbers written to the test log.</summary>
public static class OracleAssert
{
    /// <summary>The acceptance bound of the brief: max |library − ONNX Runtime| ≤ 1e-5 (see <see cref="AttentionInputs"/> for the magnitudes).</summary>
    public const double Bound = 1e-5;

    /// <summary>
    /// Below this output RMS an absolute bound of 1e-5 would say little, so every compared output must reach it
    /// (a guard that keeps the inputs' magnitudes honest).
    /// </summary>
    public const double MinimumOutputRms = 0.05;

    /// <summary>ONNX Runtime agrees with the float64 reference: the oracle itself is right for this case.</summary>
    public static void OracleMatchesReference(float[] onnx, double[] reference, ITestOutputHelper log, string what)
    {
        double error = Compare.MaxAbsDiff(onnx, reference);
        double rms = Compare.Rms(reference), max = Compare.MaxAbs(reference);
        log.WriteLine($"{what}: |onnx − float64| max {error:E2}; float64 output RMS {rms:F3}, max |y| {max:F3}");
        Assert.True(rms >= MinimumOutputRms, $"{what}: output RMS {rms:E2} is too small for an absolute bound of {Bound:E0} to mean much.");
        Assert.True(error <= Bound, $"{what}: ONNX Runtime differs from the float64 reference by {error:E3} > {Bound:E0}.");
    }

    /// <summary>The library agrees with ONNX Runtime.</summary>
    public static void LibraryMatchesOracle(float[] library, float[] onnx, ITestOutputHelper log, string what)
    {
        double error = Compare.MaxAbsDiff(library, onnx);
        log.WriteLine($"{what}: |library − onnx| max {error:E2}");
        Assert.True(error <= Bound, $"{what}: the library differs from ONNX Runtime by {error:E3} > {Bound:E0}.");
    }

    /// <summary>
    /// The alternative reading of an op's semantics (other mask polarity, other causal alignment, other head
    /// mapping) is far from ONNX Runtime's output: the case can tell the readings apart.
    /// </summary>
    public static void Distinguishes(float[] onnx, double[] alternative, ITestOutputHelper log, string what)
    {
        double gap = Compare.MaxAbsDiff(onnx, alternative);
        log.WriteLine($"{what}: |onnx − alternative reading| max {gap:E2}");
        Assert.True(gap > 1e-2, $"{what}: ONNX Runtime's output is within {gap:E2} of the alternative reading, so this case cannot tell them apart.");
    }

    /// <summary>Every kernel path the library offers, Auto included.</summary>
    public static readonly KernelPath[] Paths = [KernelPath.Reference, KernelPath.Simd, KernelPath.Tiled, KernelPath.Auto];

    /// <summary>
    /// The full check of one attention call: ONNX Runtime against the float64 reference (the oracle is right here),
    /// then every kernel path of the library against ONNX Runtime.
    /// </summary>
    public static void AllPathsMatchOracle(AttentionInputs inputs, AttentionOptions options, float[] onnx, ITestOutputHelper log, string what) =>
        AllPathsMatchOracle(path => inputs.RunLibrary(options with { Path = path }), onnx,
            Reference.Float64Attention.Forward(inputs.Q, inputs.K, inputs.V, inputs.Shape, options), log, $"{what} ({inputs.Shape})");

    /// <summary>
    /// ONNX Runtime against the float64 reference, then <paramref name="runLibrary"/> on every kernel path against
    /// ONNX Runtime. All paths run before the verdict, so one failing path does not hide the others.
    /// </summary>
    public static void AllPathsMatchOracle(Func<KernelPath, float[]> runLibrary, float[] onnx, double[] reference, ITestOutputHelper log, string what)
    {
        OracleMatchesReference(onnx, reference, log, what);
        var failures = new List<string>();
        foreach (var path in Paths)
        {
            try
            {
                double error = Compare.MaxAbsDiff(runLibrary(path), onnx);
                log.WriteLine($"  {path}: |library − onnx| max {error:E2}");
                if (!(error <= Bound)) failures.Add($"{path}: {error:E3}");
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                failures.Add($"{path}: {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, $"{what}: library vs ONNX Runtime above {Bound:E0} or failing on {string.Join("; ", failures)}");
    }
}
