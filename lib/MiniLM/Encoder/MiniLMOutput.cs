namespace Attention.MiniLM;

/// <summary>
/// One sentence through the model: its tokens, every layer's hidden states and per-head attention weights, and its
/// sentence embedding. Arrays are row-major; the helpers cut out what a chart needs.
/// </summary>
public sealed record MiniLMOutput
{
    /// <summary>The model's sizes.</summary>
    public required MiniLMConfig Config { get; init; }

    /// <summary>Token ids, [CLS] first and [SEP] last.</summary>
    public required int[] TokenIds { get; init; }

    /// <summary>The tokens as text ("[CLS]", "my", "chat", "##bot", …), for chart labels.</summary>
    public required string[] Tokens { get; init; }

    /// <summary>n: number of tokens.</summary>
    public int Length => TokenIds.Length;

    /// <summary>Hidden states [layers + 1] of [n, d_model]: 0 = after the embeddings, l = after block l (1-based).</summary>
    public required IReadOnlyList<float[]> HiddenStates { get; init; }

    /// <summary>The last block's output [n, d_model].</summary>
    public float[] LastHiddenState => HiddenStates[^1];

    /// <summary>Attention weights per block [layers] of [heads, n, n]; row i says how query token i spreads its attention.</summary>
    public required IReadOnlyList<float[]> AttentionWeights { get; init; }

    /// <summary>Sentence embedding [d_model], unit length.</summary>
    public required float[] SentenceEmbedding { get; init; }

    /// <summary>How much query token <paramref name="query"/> attends to key token <paramref name="key"/> in one head.</summary>
    public float Weight(int layer, int head, int query, int key)
    {
        CheckHead(layer, head);
        if ((uint)query >= (uint)Length) throw new ArgumentOutOfRangeException(nameof(query), query, $"query must be a token index in [0, {Length}).");
        if ((uint)key >= (uint)Length) throw new ArgumentOutOfRangeException(nameof(key), key, $"key must be a token index in [0, {Length}).");
        return AttentionWeights[layer][(head * Length + query) * Length + key];
    }

    /// <summary>One head's weights as a grid [n, n] (query rows, key columns).</summary>
    public float[,] Head(int layer, int head)
    {
        CheckHead(layer, head);
        int n = Length;
        var grid = new float[n, n];
        for (int q = 0; q < n; q++)
            for (int k = 0; k < n; k++) grid[q, k] = AttentionWeights[layer][(head * n + q) * n + k];
        return grid;
    }

    /// <summary>Every head of one block [heads, n, n].</summary>
    public float[,,] Heads(int layer)
    {
        CheckHead(layer, 0);
        int n = Length, heads = Config.Heads;
        var cube = new float[heads, n, n];
        Buffer.BlockCopy(AttentionWeights[layer], 0, cube, 0, heads * n * n * sizeof(float));
        return cube;
    }

    /// <summary>The index of the first token equal to <paramref name="token"/> (e.g. "it"), or -1.</summary>
    public int IndexOf(string token) => Array.IndexOf(Tokens, token);

    private void CheckHead(int layer, int head)
    {
        if (AttentionWeights.Count == 0)
            throw new InvalidOperationException("This output holds no attention weights: the forward pass ran with keepAttentionWeights: false.");
        if ((uint)layer >= (uint)AttentionWeights.Count)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"layer must be in [0, {AttentionWeights.Count}).");
        if ((uint)head >= (uint)Config.Heads)
            throw new ArgumentOutOfRangeException(nameof(head), head, $"head must be in [0, {Config.Heads}).");
    }
}
