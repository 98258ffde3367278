namespace Attention.Benchmarks.Cases;

/// <summary>
/// Which kernel cases run. Full mode: n ∈ {16 … 16384} × d ∈ {32, 64, 128} × causal or not × 1 or all threads, every
/// implementation where it is practical; the limits below are printed by the suite (<see cref="Limits"/>).
/// </summary>
public static class KernelGrid
{
    public static readonly int[] Lengths = [16, 64, 256, 1024, 4096, 16384];
    public static readonly int[] HeadDims = [32, 64, 128];

    /// <summary>The scalar reference takes seconds per call from here on (≈1 GFLOP/s); it runs only up to this n.</summary>
    public const int ReferenceMaxLength = 1024;

    /// <summary>The row-at-a-time SIMD path takes tens of seconds per call at n = 16384; it runs only up to this n.</summary>
    public const int SimdMaxLength = 4096;

    /// <summary>Graphs that hold the [8, n, n] score matrix need 8·n²·4 bytes (8.6 GB at n = 16384): only up to this n.</summary>
    public const int ScoreMatrixMaxLength = 4096;

    public static IEnumerable<string> Limits =>
    [
        $"Reference (scalar loops) runs only for n <= {ReferenceMaxLength} and on one thread (it is single-threaded).",
        $"Simd (row at a time) runs only for n <= {SimdMaxLength}: tens of seconds per call beyond.",
        $"ONNX Runtime's Attention op and the MatMul-Softmax-MatMul graph hold the [8, n, n] score matrix: n <= {ScoreMatrixMaxLength} only.",
    ];

    /// <summary>Whether <paramref name="impl"/> runs at this size and thread count.</summary>
    public static bool Runs(KernelImpl impl, int n, int threads) => impl switch
    {
        KernelImpl.Reference => n <= ReferenceMaxLength && threads == 1,
        KernelImpl.Simd => n <= SimdMaxLength,
        KernelImpl.OrtAttention or KernelImpl.OrtMatMulSoftmax => n <= ScoreMatrixMaxLength,
        _ => true,
    };

    public static IEnumerable<KernelCase> Cases(bool quick) => quick ? QuickCases() : FullCases();

    private static IEnumerable<KernelCase> FullCases()
    {
        foreach (int n in Lengths)
            foreach (int d in HeadDims)
                foreach (bool causal in new[] { false, true })
                    foreach (int threads in BenchSettings.ThreadCounts)
                        foreach (var impl in Enum.GetValues<KernelImpl>())
                            if (Runs(impl, n, threads))
                                yield return new KernelCase(impl, n, d, causal, threads);
    }

    /// <summary>
    /// The smoke run: n = 64 and n = 1024 with every path; n = 4096, d = 64 with every peer on one thread (the FMA-peak
    /// target's shape), and tiled against ONNX Runtime's MultiHeadAttention causal and on all threads.
    /// </summary>
    private static IEnumerable<KernelCase> QuickCases()
    {
        foreach (var impl in Enum.GetValues<KernelImpl>())
            yield return new KernelCase(impl, 64, 64, Causal: false, Threads: 1);
        foreach (var impl in Enum.GetValues<KernelImpl>())
            if (impl != KernelImpl.Reference)
                yield return new KernelCase(impl, 1024, 64, Causal: true, BenchSettings.AllThreads);
        foreach (var impl in new[] { KernelImpl.Tiled, KernelImpl.OrtMultiHeadAttention, KernelImpl.OrtAttention, KernelImpl.OrtMatMulSoftmax })
            yield return new KernelCase(impl, 4096, 64, Causal: false, Threads: 1);
        foreach (bool causal in new[] { false, true })
            foreach (int threads in BenchSettings.ThreadCounts)
                if (causal || threads != 1)
                    foreach (var impl in new[] { KernelImpl.Tiled, KernelImpl.OrtMultiHeadAttention })
                        yield return new KernelCase(impl, 4096, 64, causal, threads);
    }
}
