namespace Attention;

/// <summary>
/// The sizes of one attention call. Every tensor is float32, row-major, contiguous:
/// <code>
/// q       [Heads,   QueryLength, HeadDim ]
/// k       [KvHeads, KeyLength,   HeadDim ]
/// v       [KvHeads, KeyLength,   ValueDim]
/// output  [Heads,   QueryLength, ValueDim]
/// weights [Heads,   QueryLength, KeyLength]   (optional)
/// </code>
/// With <see cref="KvHeads"/> smaller than <see cref="Heads"/> (grouped-query attention), query head h
/// reads key/value head h / (Heads / KvHeads); KvHeads = 1 is multi-query attention.
/// </summary>
public readonly record struct AttentionShape
{
    public int Heads { get; }
    public int KvHeads { get; }
    public int QueryLength { get; }
    public int KeyLength { get; }
    public int HeadDim { get; }
    public int ValueDim { get; }

    /// <summary>Describe one call; <paramref name="valueDim"/> defaults to <paramref name="headDim"/>, <paramref name="kvHeads"/> to <paramref name="heads"/>.</summary>
    public AttentionShape(int heads, int queryLength, int keyLength, int headDim, int? valueDim = null, int? kvHeads = null)
    {
        Heads = heads;
        QueryLength = queryLength;
        KeyLength = keyLength;
        HeadDim = headDim;
        ValueDim = valueDim ?? headDim;
        KvHeads = kvHeads ?? heads;
        Validate();
    }

    /// <summary>How many query heads share one key/value head.</summary>
    public int GroupSize => Heads / KvHeads;

    public int QueryElements => Heads * QueryLength * HeadDim;
    public int KeyElements => KvHeads * KeyLength * HeadDim;
    public int ValueElements => KvHeads * KeyLength * ValueDim;
    public int OutputElements => Heads * QueryLength * ValueDim;
    public int WeightElements => Heads * QueryLength * KeyLength;

    public override string ToString() =>
        $"heads={Heads}, kvHeads={KvHeads}, n_q={QueryLength}, n_k={KeyLength}, d_k={HeadDim}, d_v={ValueDim}";

    private void Validate()
    {
        if (Heads <= 0) throw new ArgumentOutOfRangeException("heads", Heads, $"Attention needs at least one head ({this}).");
        if (KvHeads <= 0) throw new ArgumentOutOfRangeException("kvHeads", KvHeads, $"Attention needs at least one key/value head ({this}).");
        if (Heads % KvHeads != 0)
            throw new ArgumentException($"heads ({Heads}) must be a multiple of kvHeads ({KvHeads}) so that query heads share key/value heads in equal groups ({this}).", "kvHeads");
        if (QueryLength < 0) throw new ArgumentOutOfRangeException("queryLength", QueryLength, $"n_q cannot be negative ({this}).");
        if (KeyLength < 0) throw new ArgumentOutOfRangeException("keyLength", KeyLength, $"n_k cannot be negative ({this}).");
        if (HeadDim <= 0) throw new ArgumentOutOfRangeException("headDim", HeadDim, $"d_k must be positive ({this}).");
        if (ValueDim <= 0) throw new ArgumentOutOfRangeException("valueDim", ValueDim, $"d_v must be positive ({this}).");
    }
}
