namespace Attention.MiniLM;

/// <summary>
/// What a forward pass over a padded batch returns. Every sequence occupies <see cref="Length"/> positions; sequence b
/// has <c>Lengths[b]</c> real tokens, then padding. <see cref="Sequence"/> cuts one sequence's real part out.
/// </summary>
public sealed record MiniLMBatchOutput
{
    /// <summary>The model's sizes.</summary>
    public required MiniLMConfig Config { get; init; }

    /// <summary>Number of sequences.</summary>
    public int BatchSize => Lengths.Count;

    /// <summary>Padded length: the longest sequence's token count.</summary>
    public required int Length { get; init; }

    /// <summary>Real tokens per sequence ([CLS] and [SEP] included).</summary>
    public required IReadOnlyList<int> Lengths { get; init; }

    /// <summary>Token ids [batch, length], padding ids after each sequence's end.</summary>
    public required int[] TokenIds { get; init; }

    /// <summary>Each sequence's real tokens as text (empty lists when the batch was run from ids with no tokenizer).</summary>
    public IReadOnlyList<string[]> Tokens { get; init; } = [];

    /// <summary>
    /// Hidden states [layers + 1] of [batch, length, d_model]: entry 0 is the embedding layer's output, entry l the
    /// output of block l (1-based), the last one the model's last_hidden_state.
    /// </summary>
    public required IReadOnlyList<float[]> HiddenStates { get; init; }

    /// <summary>The last block's output [batch, length, d_model].</summary>
    public float[] LastHiddenState => HiddenStates[^1];

    /// <summary>
    /// Each block's attention weights [layers] of [batch, heads, length, length] (row = query, column = key; padding keys
    /// have weight 0). Empty when the forward pass was asked not to keep them.
    /// </summary>
    public required IReadOnlyList<float[]> AttentionWeights { get; init; }

    /// <summary>Sentence embeddings [batch, d_model]: mean of the real tokens' last hidden states, unit length.</summary>
    public required float[] SentenceEmbeddings { get; init; }

    /// <summary>Sequence <paramref name="index"/> alone: its real tokens, hidden states, weights and embedding.</summary>
    /// <exception cref="ArgumentOutOfRangeException">index is not a sequence of the batch.</exception>
    public MiniLMOutput Sequence(int index)
    {
        if ((uint)index >= (uint)BatchSize)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The batch has {BatchSize} sequences.");
        int n = Lengths[index], d = Config.ModelDim, heads = Config.Heads, L = Length;

        float[] RealRows(float[] states) => states.AsSpan(index * L * d, n * d).ToArray(); // [n, d]
        float[] RealWeights(float[] weights)                                               // [heads, n, n]
        {
            var cut = new float[heads * n * n];
            for (int h = 0; h < heads; h++)
                for (int q = 0; q < n; q++)
                    weights.AsSpan(((index * heads + h) * L + q) * L, n).CopyTo(cut.AsSpan((h * n + q) * n, n));
            return cut;
        }

        return new MiniLMOutput
        {
            Config = Config,
            TokenIds = TokenIds.AsSpan(index * L, n).ToArray(),
            Tokens = index < Tokens.Count ? Tokens[index] : [],
            HiddenStates = HiddenStates.Select(RealRows).ToArray(),
            AttentionWeights = AttentionWeights.Select(RealWeights).ToArray(),
            SentenceEmbedding = SentenceEmbeddings.AsSpan(index * d, d).ToArray(),
        };
    }
}
