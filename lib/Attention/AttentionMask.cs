namespace Attention;

/// <summary>
/// Which keys each query may attend to. All parts combine (a key must pass every one):
/// <list type="bullet">
/// <item><see cref="Causal"/>: query i sees key j only when j &lt;= i + <see cref="CausalOffset"/>.</item>
/// <item><see cref="KeyLength"/>: only keys [0, KeyLength) exist; the rest are padding.</item>
/// <item><see cref="Allowed"/>: a boolean mask, <b>true = may attend</b>, shape [n_q, n_k] (shared by all heads) or [heads, n_q, n_k].</item>
/// <item><see cref="Bias"/>: added to the scaled logits, same shapes as <see cref="Allowed"/>; -inf masks a key (ALiBi and relative-position biases live here).</item>
/// </list>
/// A query row that no key passes (fully masked) gets a zero output row and zero weights, never NaN.
/// </summary>
public sealed record AttentionMask
{
    /// <summary>No masking: every query sees every key.</summary>
    public static AttentionMask None { get; } = new();

    /// <summary>Decoder (causal) masking: each query sees itself and the past.</summary>
    public bool Causal { get; init; }

    /// <summary>
    /// Position of query row 0 among the keys, for causal masking. Default (null): n_k - n_q of the call's
    /// <see cref="AttentionShape"/> (shape.KeyLength - shape.QueryLength, not <see cref="KeyLength"/>),
    /// which aligns the last query with the last key: the layout of cached decoding, where the new
    /// queries are the newest positions of the sequence. Any value is allowed; rows that see no key are fully masked.
    /// </summary>
    public int? CausalOffset { get; init; }

    /// <summary>Number of real (non-padding) keys; null means all n_k keys are real.</summary>
    public int? KeyLength { get; init; }

    /// <summary>Boolean mask, true = may attend. Empty means no boolean mask.</summary>
    public ReadOnlyMemory<bool> Allowed { get; init; }

    /// <summary>Additive bias on the scaled logits. Empty means no bias.</summary>
    public ReadOnlyMemory<float> Bias { get; init; }

    /// <summary>Causal masking, optionally with an explicit offset.</summary>
    public static AttentionMask CausalMask(int? offset = null) => new() { Causal = true, CausalOffset = offset };

    /// <summary>Key padding: only the first <paramref name="validKeys"/> keys are real.</summary>
    public static AttentionMask Padding(int validKeys) => new() { KeyLength = validKeys };
}
