using System.Diagnostics;
using System.Runtime.Intrinsics;
using Attention.Benchmarks.Peak;

namespace Attention.Benchmarks.Runners;

/// <summary>
/// The one-core FMA probe as a runner, so that <see cref="PairedRatio"/> can alternate it with a kernel: the kernel's
/// share of the peak then comes from slices taken in the same phase of the machine. One call runs the widest
/// accelerated probe enough times to last about as long as the kernel's call.
/// </summary>
public sealed class FmaProbeRunner : IBenchRunner
{
    private readonly Func<float> _probe;
    private readonly int _repeats;
    private float _sink;

    public FmaProbeRunner(TimeSpan matching)
    {
        bool wide = Vector512.IsHardwareAccelerated;
        _probe = wide ? FmaProbe.Run512 : FmaProbe.Run256;
        Width = wide ? "Vector512" : "Vector256";
        _probe();                                                                   // compiled before it is timed
        long start = Stopwatch.GetTimestamp();
        _sink += _probe();
        var one = Stopwatch.GetElapsedTime(start);
        _repeats = (int)Math.Clamp(Math.Round(matching / one), 1, 10_000);
        Flops = _repeats * (wide ? FmaProbe.Flops512 : FmaProbe.Flops256);
    }

    /// <summary>Floating-point operations of one <see cref="Run"/>.</summary>
    public double Flops { get; }

    public string Width { get; }

    public float[] Output { get; } = [];

    public void Run()
    {
        for (int i = 0; i < _repeats; i++) _sink += _probe();
    }

    public void Dispose() => GC.KeepAlive(_sink);
}
