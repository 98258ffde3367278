using Attention.Benchmarks.Cases;
using Attention.OracleTests.Support;

namespace Attention.Benchmarks.Runners;

/// <summary>
/// The tensors of one kernel case in the library's head-major layout, seeded so every implementation sees the same numbers:
/// q [8, n, d], k and v [2, n, d], uniform in [-1, 1).
/// </summary>
public sealed class KernelInputs
{
    public KernelInputs(KernelCase c)
    {
        Shape = c.Shape;
        var random = new SeededTensors(seed: c.N * 131 + c.D);
        Q = random.Uniform(Shape.QueryElements, 1.0);    // [heads,   n, d]
        K = random.Uniform(Shape.KeyElements, 1.0);      // [kvHeads, n, d]
        V = random.Uniform(Shape.ValueElements, 1.0);    // [kvHeads, n, d]
    }

    public AttentionShape Shape { get; }
    public float[] Q { get; }
    public float[] K { get; }
    public float[] V { get; }

    /// <summary>The library's tiled result [8, n, d], the yardstick each peer's output is checked against before timing.</summary>
    public float[] Expected(bool causal)
    {
        var output = new float[Shape.OutputElements];
        var options = new AttentionOptions { Path = KernelPath.Tiled, Mask = causal ? AttentionMask.CausalMask() : AttentionMask.None };
        ScaledDotProductAttention.Forward(Q, K, V, output, Shape, options);
        return output;
    }
}
