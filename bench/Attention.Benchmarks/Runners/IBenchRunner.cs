namespace Attention.Benchmarks.Runners;

/// <summary>One prepared computation: inputs, outputs and sessions are set up by the constructor; <see cref="Run"/> is what is timed.</summary>
public interface IBenchRunner : IDisposable
{
    /// <summary>Compute once, writing into the pre-allocated outputs.</summary>
    void Run();

    /// <summary>The buffer <see cref="Run"/> writes (the memory probe touches it first, so it is not counted as the call's extra memory).</summary>
    float[] Output { get; }
}
