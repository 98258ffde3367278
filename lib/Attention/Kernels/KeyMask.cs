namespace Attention.Kernels;

/// <summary>
/// The masks of one call, resolved against its shape so that every kernel asks the same questions:
/// how many leading keys a query row may see (causal and padding), and which boolean/bias row applies.
/// A key whose scaled logit ends up -inf (boolean mask false, bias -inf) is skipped by every path:
/// its weight is exactly 0 and its value row is never read.
/// </summary>
internal readonly struct KeyMask
{
    private readonly int _queryLength;    // n_q
    private readonly int _keyLength;      // n_k
    private readonly int _realKeys;       // keys [0, _realKeys) are not padding
    private readonly bool _causal;
    private readonly long _causalOffset;  // query i sees key j only when j <= i + offset
    private readonly ReadOnlyMemory<bool> _allowed;  // [n_q, n_k] or [heads, n_q, n_k], or empty
    private readonly bool _allowedPerHead;
    private readonly ReadOnlyMemory<float> _bias;    // [n_q, n_k] or [heads, n_q, n_k], or empty
    private readonly bool _biasPerHead;

    /// <summary>Resolve <paramref name="mask"/> for <paramref name="shape"/>; the mask must already be validated.</summary>
    public KeyMask(AttentionMask mask, in AttentionShape shape)
    {
        _queryLength = shape.QueryLength;
        _keyLength = shape.KeyLength;
        _realKeys = mask.KeyLength ?? shape.KeyLength;
        _causal = mask.Causal;
        // Default offset n_k - n_q: the last query lines up with the last key (cached decoding).
        _causalOffset = mask.CausalOffset ?? (long)shape.KeyLength - shape.QueryLength;
        long rowsTimesKeys = (long)shape.QueryLength * shape.KeyLength;
        _allowed = rowsTimesKeys == 0 ? default : mask.Allowed;
        _allowedPerHead = _allowed.Length > rowsTimesKeys;
        _bias = rowsTimesKeys == 0 ? default : mask.Bias;
        _biasPerHead = _bias.Length > rowsTimesKeys;
    }

    /// <summary>Whether a boolean mask or a bias applies (keys can then be masked anywhere, not only past a row's visible range).</summary>
    public bool HasBiasOrBoolean => !_allowed.IsEmpty || !_bias.IsEmpty;

    /// <summary>Keys [0, VisibleKeys(row)) pass the causal and padding masks for query <paramref name="row"/>; the rest are never read.</summary>
    public int VisibleKeys(int row)
    {
        if (!_causal) return _realKeys;
        long lastSeen = row + _causalOffset;  // the newest key query `row` may see
        return (int)Math.Clamp(lastSeen + 1, 0, _realKeys);
    }

    /// <summary>The largest <see cref="VisibleKeys(int)"/> over query rows [firstRow, firstRow + rows): causal visibility grows with the row.</summary>
    public int MaxVisibleKeys(int firstRow, int rows) => VisibleKeys(firstRow + rows - 1);

    /// <summary>Boolean mask row [n_k] (true = may attend) for one head and query row, or empty when there is none.</summary>
    public ReadOnlySpan<bool> AllowedRow(int head, int row) =>
        _allowed.IsEmpty ? default : _allowed.Span.Slice(RowStart(head, row, _allowedPerHead), _keyLength);

    /// <summary>Bias row [n_k] for one head and query row, or empty when there is none.</summary>
    public ReadOnlySpan<float> BiasRow(int head, int row) =>
        _bias.IsEmpty ? default : _bias.Span.Slice(RowStart(head, row, _biasPerHead), _keyLength);

    private int RowStart(int head, int row, bool perHead) =>
        ((perHead ? head * _queryLength : 0) + row) * _keyLength;
}
