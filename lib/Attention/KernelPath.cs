namespace Attention;

/// <summary>Which implementation of scaled dot-product attention runs.</summary>
public enum KernelPath
{
    /// <summary>The fastest correct path for the call (see <c>ScaledDotProductAttention.ChoosePath</c>).</summary>
    Auto,
    /// <summary>Plain scalar loops, written to be read next to the formula.</summary>
    Reference,
    /// <summary>Row-at-a-time vectorised path: Vector512/256/128 chosen from the hardware, scalar tails.</summary>
    Simd,
    /// <summary>Tiled online softmax (the FlashAttention idea): never holds the n_q × n_k score matrix.</summary>
    Tiled,
}
