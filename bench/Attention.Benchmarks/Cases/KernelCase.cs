namespace Attention.Benchmarks.Cases;

/// <summary>Who computes the attention kernel.</summary>
public enum KernelImpl
{
    /// <summary>The library, <see cref="KernelPath.Reference"/>: plain scalar loops.</summary>
    Reference,
    /// <summary>The library, <see cref="KernelPath.Simd"/>: one query row at a time, vectorised.</summary>
    Simd,
    /// <summary>The library, <see cref="KernelPath.Tiled"/>: tiled online softmax.</summary>
    Tiled,
    /// <summary>ONNX Runtime's contrib <c>com.microsoft.MultiHeadAttention</c> (K/V heads repeated: the op has no GQA form).</summary>
    OrtMultiHeadAttention,
    /// <summary>ONNX Runtime's standard opset-23 <c>Attention</c> op, 4-D, native GQA.</summary>
    OrtAttention,
    /// <summary>ONNX Runtime running MatMul → Mul(scale) (→ Add(causal mask)) → Softmax → MatMul.</summary>
    OrtMatMulSoftmax,
}

/// <summary>
/// One measured kernel call: q [8, n, d], k and v [2, n, d] (grouped-query attention, 4 query heads per K/V head),
/// self-attention (n_q = n_k = n), causal or not, on 1 or all threads.
/// </summary>
public sealed record KernelCase(KernelImpl Impl, int N, int D, bool Causal, int Threads) : IComparable
{
    public const int Heads = 8;
    public const int KvHeads = 2;

    public AttentionShape Shape => new(Heads, N, N, D, kvHeads: KvHeads);

    /// <summary>Arithmetic of the call as the suite counts it: 4·n²·d per head (Q·Kᵀ and P·V), half of that when causal.</summary>
    public double Flops => Heads * 4.0 * N * N * D * (Causal ? 0.5 : 1.0);

    /// <summary>True for the library's own paths, false for the peers.</summary>
    public bool IsLibrary => Impl is KernelImpl.Reference or KernelImpl.Simd or KernelImpl.Tiled;

    /// <summary>BenchmarkDotNet runs parameter values in this order: by shape, then implementation, so the implementations of one shape run back to back.</summary>
    public int CompareTo(object? other) => other is KernelCase o
        ? (N, D, Causal, Threads, Impl).CompareTo((o.N, o.D, o.Causal, o.Threads, o.Impl))
        : string.CompareOrdinal(ToString(), other?.ToString());

    /// <summary>What BenchmarkDotNet shows in its tables; also the key of <c>--filter</c>.</summary>
    public override string ToString() => $"{Impl} n={N} d={D} {(Causal ? "causal" : "full")} t={Threads}";
}
