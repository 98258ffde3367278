using Attention.Benchmarks.Cases;

namespace Attention.Benchmarks.Runners;

/// <summary><see cref="ScaledDotProductAttention.Forward"/> on one kernel path, into a pre-allocated output.</summary>
public sealed class LibraryKernelRunner : IBenchRunner
{
    private readonly KernelInputs _inputs;
    private readonly float[] _output;            // [heads, n, d]
    private readonly AttentionOptions _options;

    public LibraryKernelRunner(KernelCase c, KernelInputs inputs)
    {
        _inputs = inputs;
        _output = new float[inputs.Shape.OutputElements];
        _options = new AttentionOptions
        {
            Path = c.Impl switch
            {
                KernelImpl.Reference => KernelPath.Reference,
                KernelImpl.Simd => KernelPath.Simd,
                KernelImpl.Tiled => KernelPath.Tiled,
                _ => throw new ArgumentException($"{c.Impl} is not a library path.", nameof(c)),
            },
            Mask = c.Causal ? AttentionMask.CausalMask() : AttentionMask.None,
            MaxThreads = c.Threads,
        };
    }

    public float[] Output => _output;

    public void Run() => ScaledDotProductAttention.Forward(_inputs.Q, _inputs.K, _inputs.V, _output, _inputs.Shape, _options);

    public void Dispose() { }
}
