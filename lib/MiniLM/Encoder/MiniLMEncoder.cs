namespace Attention.MiniLM;

/// <summary>
/// The BERT encoder of all-MiniLM-L6-v2 run on the course library: token embeddings, then for each block the
/// library's <see cref="MultiHeadAttention"/> (its public weights set from the model) with a residual connection and
/// LayerNorm, then the GELU feed-forward layer (through <see cref="Linear"/>) with a residual and LayerNorm.
/// Holds no state between calls besides the weights, so one encoder serves every call.
/// </summary>
public sealed class MiniLMEncoder
{
    private readonly MiniLMWeights weights;
    private readonly MultiHeadAttention[] attention; // one per block

    /// <summary>Build the encoder from the weights <see cref="MiniLMModel"/>'s loader read.</summary>
    public MiniLMEncoder(MiniLMWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        this.weights = weights;
        var config = weights.Config;
        attention = new MultiHeadAttention[config.Layers];
        for (int layer = 0; layer < config.Layers; layer++)
        {
            var w = weights.Layers[layer];
            var mha = new MultiHeadAttention(config.ModelDim, config.Heads, bias: true);
            // The layer's arrays are [in, out], like the ONNX MatMul weights: straight copies.
            w.Query.Weight.CopyTo(mha.QueryWeight, 0);
            w.Key.Weight.CopyTo(mha.KeyWeight, 0);
            w.Value.Weight.CopyTo(mha.ValueWeight, 0);
            w.Output.Weight.CopyTo(mha.OutputWeight, 0);
            w.Query.Bias.CopyTo(mha.QueryBias!, 0);
            w.Key.Bias.CopyTo(mha.KeyBias!, 0);
            w.Value.Bias.CopyTo(mha.ValueBias!, 0);
            w.Output.Bias.CopyTo(mha.OutputBias!, 0);
            attention[layer] = mha;
        }
    }

    /// <summary>The sizes of the model.</summary>
    public MiniLMConfig Config => weights.Config;

    /// <summary>
    /// The library's attention layer of each block, holding the pretrained weights (live: edit them to experiment,
    /// unless <see cref="PackWeights"/> has taken a snapshot).
    /// </summary>
    public IReadOnlyList<MultiHeadAttention> AttentionLayers => attention;

    /// <summary>
    /// Copy every weight matrix of every block, once, into the layout the projection kernel reads (each attention
    /// layer's <see cref="MultiHeadAttention.PackWeights"/>, and <see cref="PackedLinearWeight"/> for the two
    /// feed-forward matrices), so that <c>Forward</c> streams them in the order the kernel reads them instead of
    /// reading each 64-column panel out of rows 1.5–6 KB apart (or, past 24 tokens, copying it) on every call: measured
    /// on the course machine, 4.8 → 3.4 ms for the 19-token example on one thread. ONNX Runtime does the same to a model's constant
    /// weights when it creates a session. A snapshot: weight edits made after it reach <c>Forward</c> only after
    /// another <see cref="PackWeights"/>, or after <see cref="UnpackWeights"/>. Biases and norms are always read live.
    /// Results are bit-identical packed or not.
    /// </summary>
    public void PackWeights()
    {
        static PackedLinearWeight Pack(DenseWeights dense) => new(dense.Weight, dense.InDim, dense.OutDim);
        var packed = new PackedFeedForward[weights.Config.Layers];
        for (int layer = 0; layer < packed.Length; layer++)
        {
            attention[layer].PackWeights();
            packed[layer] = new PackedFeedForward(Pack(weights.Layers[layer].FeedForwardIn), Pack(weights.Layers[layer].FeedForwardOut));
        }
        feedForward = packed;
    }

    /// <summary>Drop the snapshot of <see cref="PackWeights"/>: <c>Forward</c> reads the live weight arrays again.</summary>
    public void UnpackWeights()
    {
        foreach (var layer in attention) layer.UnpackWeights();
        feedForward = null;
    }

    /// <summary>Whether <c>Forward</c> uses the packed snapshot of <see cref="PackWeights"/> instead of the live arrays.</summary>
    public bool WeightsArePacked => feedForward is not null;

    private sealed record PackedFeedForward(PackedLinearWeight In, PackedLinearWeight Out);
    private volatile PackedFeedForward[]? feedForward;   // per block, while packed

    /// <summary>
    /// Run a batch of token-id sequences (each [CLS] … [SEP]). Shorter ones are padded with <paramref name="paddingId"/> to
    /// the longest and their padding keys are masked in every head, so each sequence's real rows come out as if it ran
    /// alone. Rows at padding positions are computed too (they attend to the real tokens) and are meant to be ignored.
    /// </summary>
    /// <param name="sequences">Token ids per sequence; each 1 to <see cref="MiniLMConfig.MaxPositions"/> long.</param>
    /// <param name="paddingId">Id written at padding positions (the vocabulary's [PAD]).</param>
    /// <param name="options">Attention options: kernel path, threads. A mask given here applies on top of the padding mask. Null: defaults.</param>
    /// <param name="keepAttentionWeights">Return every layer's weights (the <see cref="KernelPath.Tiled"/> path then adds a weights pass).</param>
    /// <exception cref="ArgumentException">No sequence, an empty or too long sequence, or a token id outside the vocabulary.</exception>
    public MiniLMBatchOutput Forward(IReadOnlyList<int[]> sequences, int paddingId, AttentionOptions? options = null, bool keepAttentionWeights = true)
    {
        var config = weights.Config;
        var (batch, length, lengths, ids) = Pad(sequences, paddingId, config);
        int d = config.ModelDim, rows = batch * length;

        var x = new float[rows * d];                                // [batch, length, d_model]
        Embed(ids, length, x);
        var hiddenStates = new List<float[]> { (float[])x.Clone() };
        var attentionWeights = new List<float[]>();
        var branch = new float[rows * d];                           // [batch, length, d_model]: attention or feed-forward output
        var hidden = new float[rows * config.FeedForwardDim];       // [batch·length, d_ff]
        var packed = feedForward;                                   // one snapshot (or none) for the whole pass
        int? threads = options?.MaxThreads;                         // the feed-forward layers keep to the attention's thread budget

        for (int layer = 0; layer < config.Layers; layer++)
        {
            var w = weights.Layers[layer];
            var probabilities = keepAttentionWeights ? new float[batch * config.Heads * length * length] : []; // [batch, heads, length, length]
            attention[layer].ForwardBatch(x, batch, length, lengths, branch, options, probabilities);
            Add(branch, x);                                                           // x + attention(x)
            LayerNorm.Forward(branch, x, rows, w.AttentionNorm);                      // a = LayerNorm(…), into x
            Dense(x, w.FeedForwardIn, packed?[layer].In, hidden, rows, threads);     // [rows, d_ff]
            Gelu.Apply(hidden);
            Dense(hidden, w.FeedForwardOut, packed?[layer].Out, branch, rows, threads); // [rows, d_model]
            Add(branch, x);                                                           // a + FFN(a)
            LayerNorm.Forward(branch, x, rows, w.OutputNorm);                         // y = LayerNorm(…), into x
            hiddenStates.Add((float[])x.Clone());
            if (keepAttentionWeights) attentionWeights.Add(probabilities);
        }

        var embeddings = new float[batch * d];                      // [batch, d_model]
        for (int b = 0; b < batch; b++)
            MeanPooling.Forward(x.AsSpan(b * length * d, length * d), length, lengths[b], embeddings.AsSpan(b * d, d));

        return new MiniLMBatchOutput
        {
            Config = config,
            Length = length,
            Lengths = lengths,
            TokenIds = ids,
            HiddenStates = hiddenStates,
            AttentionWeights = attentionWeights,
            SentenceEmbeddings = embeddings,
        };
    }

    /// <summary>x [batch·length, d] = LayerNorm(word[id] + position[t] + tokenType[0]); every token is of type 0 (one segment).</summary>
    private void Embed(int[] ids, int length, Span<float> x)
    {
        var e = weights.Embeddings;
        int d = weights.Config.ModelDim;
        var tokenType = e.TokenType.AsSpan(0, d);                   // [d]
        for (int row = 0; row < ids.Length; row++)
        {
            var word = e.Word.AsSpan(ids[row] * d, d);              // [d]
            var position = e.Position.AsSpan(row % length * d, d);  // [d]
            var target = x.Slice(row * d, d);                       // [d]
            for (int i = 0; i < d; i++) target[i] = word[i] + tokenType[i] + position[i];
        }
        LayerNorm.Forward(x, x, ids.Length, e.Norm);
    }

    /// <summary>y = x·W + b for one dense layer: from its packed snapshot when there is one, else from the live arrays.</summary>
    private static void Dense(ReadOnlySpan<float> x, DenseWeights dense, PackedLinearWeight? packed, Span<float> y, int rows, int? threads)
    {
        if (packed is null) Linear.Forward(x, dense.Weight, y, rows, dense.InDim, dense.OutDim, dense.Bias, threads);
        else Linear.Forward(x, packed, y, rows, dense.Bias, threads);
    }

    /// <summary>sum[i] += addend[i].</summary>
    private static void Add(Span<float> sum, ReadOnlySpan<float> addend)
    {
        for (int i = 0; i < sum.Length; i++) sum[i] += addend[i];
    }

    private static (int Batch, int Length, int[] Lengths, int[] Ids) Pad(IReadOnlyList<int[]> sequences, int paddingId, MiniLMConfig config)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0) throw new ArgumentException("sequences is empty; give at least one sequence of token ids.", nameof(sequences));
        if ((uint)paddingId >= (uint)config.VocabularySize)
            throw new ArgumentOutOfRangeException(nameof(paddingId), paddingId, $"paddingId must be in the vocabulary [0, {config.VocabularySize}).");
        var lengths = new int[sequences.Count];
        for (int b = 0; b < sequences.Count; b++)
        {
            var sequence = sequences[b] ?? throw new ArgumentException($"sequences[{b}] is null.", nameof(sequences));
            if (sequence.Length == 0 || sequence.Length > config.MaxPositions)
                throw new ArgumentException($"sequences[{b}] has {sequence.Length} tokens; the model takes 1 to {config.MaxPositions} ([CLS] and [SEP] included).", nameof(sequences));
            foreach (int id in sequence)
                if ((uint)id >= (uint)config.VocabularySize)
                    throw new ArgumentException($"sequences[{b}] holds token id {id}, outside the vocabulary [0, {config.VocabularySize}).", nameof(sequences));
            lengths[b] = sequence.Length;
        }
        int length = lengths.Max();
        var ids = new int[sequences.Count * length];                // [batch, length]
        Array.Fill(ids, paddingId);
        for (int b = 0; b < sequences.Count; b++) sequences[b].CopyTo(ids, b * length);
        return (sequences.Count, length, lengths, ids);
    }
}
