namespace Attention;

/// <summary>
/// The keys and values of the tokens seen so far, for incremental (one token at a time) causal decoding: each new
/// token's key and value are computed once, appended here, and reused by every later token.
/// <code>
/// Keys   [kvHeads, capacity, headDim]   positions 0 … Length−1 of each head are filled
/// Values [kvHeads, capacity, headDim]
/// </code>
/// </summary>
public sealed class KvCache
{
    /// <summary>An empty cache for <paramref name="kvHeads"/> heads of width <paramref name="headDim"/>, up to <paramref name="capacity"/> positions.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public KvCache(int kvHeads, int headDim, int capacity)
    {
        string shapes = $"kvHeads={kvHeads}, headDim={headDim}, capacity={capacity}";
        if (kvHeads <= 0) throw new ArgumentOutOfRangeException(nameof(kvHeads), kvHeads, $"kvHeads must be positive ({shapes}).");
        if (headDim <= 0) throw new ArgumentOutOfRangeException(nameof(headDim), headDim, $"headDim must be positive ({shapes}).");
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"capacity must be positive ({shapes}).");
        KvHeads = kvHeads;
        HeadDim = headDim;
        Capacity = capacity;
        Keys = new float[(long)kvHeads * capacity * headDim];
        Values = new float[(long)kvHeads * capacity * headDim];
    }

    /// <summary>Number of key/value heads.</summary>
    public int KvHeads { get; }

    /// <summary>Width of one key or value vector.</summary>
    public int HeadDim { get; }

    /// <summary>Most positions the cache can hold.</summary>
    public int Capacity { get; }

    /// <summary>Positions filled so far (the position the next token gets).</summary>
    public int Length { get; private set; }

    /// <summary>Cached keys [kvHeads, capacity, headDim]; positions at or past <see cref="Length"/> are unused.</summary>
    public float[] Keys { get; }

    /// <summary>Cached values [kvHeads, capacity, headDim]; positions at or past <see cref="Length"/> are unused.</summary>
    public float[] Values { get; }

    /// <summary>The filled keys of one head: [Length, headDim].</summary>
    public ReadOnlySpan<float> KeysOf(int kvHead) => HeadSlice(Keys, kvHead);

    /// <summary>The filled values of one head: [Length, headDim].</summary>
    public ReadOnlySpan<float> ValuesOf(int kvHead) => HeadSlice(Values, kvHead);

    /// <summary>
    /// Append the keys and values of <paramref name="tokens"/> new positions, each [kvHeads, tokens, headDim].
    /// Nothing is written when the call would exceed the capacity.
    /// </summary>
    /// <exception cref="ArgumentException">The spans' lengths do not match, or the cache has no room for the tokens.</exception>
    public void Append(ReadOnlySpan<float> keys, ReadOnlySpan<float> values, int tokens)
    {
        EnsureRoom(tokens);
        long expected = (long)KvHeads * tokens * HeadDim;
        string shapes = $"[kvHeads={KvHeads}, tokens={tokens}, headDim={HeadDim}]";
        if (keys.Length != expected) throw new ArgumentException($"keys has {keys.Length} elements, expected {expected} {shapes}.", nameof(keys));
        if (values.Length != expected) throw new ArgumentException($"values has {values.Length} elements, expected {expected} {shapes}.", nameof(values));

        for (int g = 0; g < KvHeads; g++)
        {
            int source = g * tokens * HeadDim, destination = (g * Capacity + Length) * HeadDim;
            keys.Slice(source, tokens * HeadDim).CopyTo(Keys.AsSpan(destination));     // [tokens, headDim]
            values.Slice(source, tokens * HeadDim).CopyTo(Values.AsSpan(destination));
        }
        Length += tokens;
    }

    /// <summary>Forget every position (the arrays keep their old contents, which are no longer read).</summary>
    public void Clear() => Length = 0;

    /// <summary>Throws unless <paramref name="tokens"/> more positions fit.</summary>
    /// <exception cref="ArgumentException">tokens is negative or more than the remaining room.</exception>
    public void EnsureRoom(int tokens)
    {
        if (tokens < 0)
            throw new ArgumentOutOfRangeException(nameof(tokens), tokens, $"tokens cannot be negative (cache {Length}/{Capacity}).");
        if (tokens > Capacity - Length)
            throw new ArgumentException(
                $"The KV cache is full: it holds {Length} of {Capacity} positions and cannot take {tokens} more. Create it with a larger capacity or Clear it.",
                nameof(tokens));
    }

    private ReadOnlySpan<float> HeadSlice(float[] data, int kvHead)
    {
        if ((uint)kvHead >= (uint)KvHeads)
            throw new ArgumentOutOfRangeException(nameof(kvHead), kvHead, $"kvHead must be in [0, {KvHeads}).");
        return data.AsSpan(kvHead * Capacity * HeadDim, Length * HeadDim);
    }
}
