namespace Attention.Benchmarks.Cases;

/// <summary>Who computes the whole multi-head attention layer (projections included).</summary>
public enum LayerImpl
{
    /// <summary>The library's <see cref="MultiHeadAttention"/>.Forward, reading the live weight arrays (copying each panel per call).</summary>
    Library,
    /// <summary>
    /// The same layer after <see cref="MultiHeadAttention.PackWeights"/>: weights copied once into the projection kernel's
    /// layout, as ONNX Runtime does with constant initializers when it creates a session. The layer target is judged on this one.
    /// </summary>
    LibraryPackedWeights,
    /// <summary>ONNX Runtime: MatMul + Add projections around <c>com.microsoft.MultiHeadAttention</c>.</summary>
    OrtMultiHeadAttention,
    /// <summary>ONNX Runtime: MatMul + Add projections around the standard opset-23 <c>Attention</c> op.</summary>
    OrtAttention,
}

/// <summary>
/// One self-attention layer call, end to end: x [n, 512] → Q, K, V projections (8 heads of 64) → attention → W_O → y [n, 512].
/// </summary>
public sealed record LayerCase(LayerImpl Impl, int N, int Threads) : IComparable
{
    public const int ModelDim = 512;
    public const int Heads = 8;

    public static readonly int[] Lengths = [128, 1024];

    /// <summary>Four projections (2·n·d_model² each) plus attention (4·n²·d_model over all heads).</summary>
    public double Flops => 4 * 2.0 * N * ModelDim * ModelDim + 4.0 * N * N * ModelDim;

    /// <summary>True for the library's layer (live or packed weights), false for the ONNX Runtime graphs.</summary>
    public bool IsLibrary => Impl is LayerImpl.Library or LayerImpl.LibraryPackedWeights;

    public override string ToString() => $"{Impl} layer n={N} t={Threads}";

    /// <summary>Run order: by shape, then implementation.</summary>
    public int CompareTo(object? other) => other is LayerCase o
        ? (N, Threads, Impl).CompareTo((o.N, o.Threads, o.Impl))
        : string.CompareOrdinal(ToString(), other?.ToString());

    public static IEnumerable<LayerCase> Cases(bool quick)
    {
        foreach (int n in Lengths)
            foreach (int threads in BenchSettings.ThreadCounts)
                if (!quick || threads == BenchSettings.AllThreads)
                    foreach (var impl in Enum.GetValues<LayerImpl>())
                        yield return new LayerCase(impl, n, threads);
    }
}
