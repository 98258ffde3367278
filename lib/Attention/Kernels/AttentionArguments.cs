namespace Attention.Kernels;

/// <summary>
/// Checks every argument of <see cref="ScaledDotProductAttention.Forward"/> before any kernel runs, so that all
/// paths reject the same inputs with the same messages: each names the argument, the element count it has,
/// the count the shape needs and the shape itself.
/// </summary>
internal static class AttentionArguments
{
    /// <summary>Validate one call and return the resolved scale and masks.</summary>
    public static (float Scale, KeyMask Mask) Validate(
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> output, Span<float> weights,
        in AttentionShape shape, AttentionOptions options)
    {
        if (shape.Heads == 0)
            throw new ArgumentException(
                "shape is default(AttentionShape); create it with new AttentionShape(heads, queryLength, keyLength, headDim, ...).", nameof(shape));

        // The layout strings are built only when a check fails: a valid call allocates nothing.
        ExpectLength(q.Length, shape.QueryElements, nameof(q), shape);
        ExpectLength(k.Length, shape.KeyElements, nameof(k), shape);
        ExpectLength(v.Length, shape.ValueElements, nameof(v), shape);
        ExpectLength(output.Length, shape.OutputElements, nameof(output), shape);
        if (!weights.IsEmpty) ExpectLength(weights.Length, shape.WeightElements, nameof(weights), shape);

        ExpectNoOverlap(output, nameof(output), q, k, v);
        ExpectNoOverlap(weights, nameof(weights), q, k, v);
        if (weights.Overlaps(output))
            throw new ArgumentException($"weights and output overlap in memory; the kernels need separate buffers ({shape}).", nameof(weights));

        float scale = options.Scale ?? 1f / MathF.Sqrt(shape.HeadDim);
        if (!(scale > 0f) || !float.IsFinite(scale))
            throw new ArgumentOutOfRangeException("options.Scale", options.Scale,
                $"Scale multiplies q·k like 1/temperature: it must be positive and finite ({shape}).");

        if (options.MaxThreads is int threads && threads < 1)
            throw new ArgumentOutOfRangeException("options.MaxThreads", threads, "MaxThreads must be at least 1 (or null for all cores).");
        // A range check, not Enum.IsDefined: that reads the enum's names from a reflection cache the runtime holds
        // weakly, so the first call after each full garbage collection allocated 248 bytes rebuilding it.
        if (options.Path is < KernelPath.Auto or > KernelPath.Tiled)
            throw new ArgumentOutOfRangeException("options.Path", options.Path, "Unknown kernel path.");
        if (options.Mask is null)
            throw new ArgumentNullException("options.Mask", "Use AttentionMask.None for no masking.");

        ValidateMask(options.Mask, shape);
        return (scale, new KeyMask(options.Mask, shape));
    }

    private static void ValidateMask(AttentionMask mask, in AttentionShape shape)
    {
        if (mask.KeyLength is int realKeys && (realKeys < 0 || realKeys > shape.KeyLength))
            throw new ArgumentOutOfRangeException("options.Mask.KeyLength", realKeys,
                $"Mask.KeyLength (real, non-padding keys) must be in [0, n_k={shape.KeyLength}] ({shape}).");
        ExpectMaskLength(mask.Allowed.Length, "options.Mask.Allowed", "bool", shape);
        ExpectMaskLength(mask.Bias.Length, "options.Mask.Bias", "float", shape);
    }

    private static void ExpectMaskLength(int length, string name, string type, in AttentionShape shape)
    {
        long shared = (long)shape.QueryLength * shape.KeyLength;
        long perHead = shared * shape.Heads;
        if (length == 0 || length == shared || length == perHead) return;
        throw new ArgumentException(
            $"{name} has {length} {type} elements but must be empty (no mask), [n_q={shape.QueryLength}, n_k={shape.KeyLength}] = {shared} " +
            $"or [heads={shape.Heads}, n_q={shape.QueryLength}, n_k={shape.KeyLength}] = {perHead} ({shape}).", name);
    }

    private static void ExpectLength(int actual, long expected, string name, in AttentionShape shape)
    {
        if (actual == expected) return;
        throw new ArgumentException($"{name} has {actual} elements but shape {Layout(name, shape)} needs {expected} ({shape}).", name);
    }

    /// <summary>The layout of the tensor called <paramref name="name"/>, for error messages.</summary>
    private static string Layout(string name, in AttentionShape shape) => name switch
    {
        "q" => $"[heads={shape.Heads}, n_q={shape.QueryLength}, d_k={shape.HeadDim}]",
        "k" => $"[kvHeads={shape.KvHeads}, n_k={shape.KeyLength}, d_k={shape.HeadDim}]",
        "v" => $"[kvHeads={shape.KvHeads}, n_k={shape.KeyLength}, d_v={shape.ValueDim}]",
        "output" => $"[heads={shape.Heads}, n_q={shape.QueryLength}, d_v={shape.ValueDim}]",
        _ => $"[heads={shape.Heads}, n_q={shape.QueryLength}, n_k={shape.KeyLength}] (or pass an empty span for no weights)",
    };

    private static void ExpectNoOverlap(ReadOnlySpan<float> written, string name, ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v)
    {
        if (written.IsEmpty) return;
        if (written.Overlaps(q) || written.Overlaps(k) || written.Overlaps(v))
            throw new ArgumentException($"{name} overlaps q, k or v in memory; attention cannot be computed in place.", name);
    }
}
