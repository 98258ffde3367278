namespace Attention.Tests.TestSupport;

/// <summary>
/// Tests that measure what the calling thread allocates run alone: the library's shared pools (ArrayPool.Shared, the
/// kernel threads) are also used by tests running in parallel, which could empty a pool just before the measured call.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SequentialCollection
{
    public const string Name = "Sequential: allocation measurements";
}
