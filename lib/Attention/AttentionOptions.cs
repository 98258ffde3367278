namespace Attention;

/// <summary>Everything about one attention call besides the tensors and their shape.</summary>
public sealed record AttentionOptions
{
    public static AttentionOptions Default { get; } = new();

    /// <summary>Multiplier of q·k; null means 1/sqrt(d_k).</summary>
    public float? Scale { get; init; }

    /// <summary>Masks (causal, padding, boolean, bias). Default: none.</summary>
    public AttentionMask Mask { get; init; } = AttentionMask.None;

    /// <summary>Which kernel runs. Default: the fastest correct one.</summary>
    public KernelPath Path { get; init; } = KernelPath.Auto;

    /// <summary>Threads the kernel may use; null means all cores, 1 means the calling thread only.</summary>
    public int? MaxThreads { get; init; }
}
