namespace Attention;

/// <summary>
/// Multi-head attention, the layer of a transformer:
/// <code>
/// Q = X·W_Q + b_Q            [n_q, d_model]   split into heads → [heads,   n_q, d_head]
/// K = C·W_K + b_K            [n_k, kvHeads·d_head]          → [kvHeads, n_k, d_head]
/// V = C·W_V + b_V            [n_k, kvHeads·d_head]          → [kvHeads, n_k, d_head]
/// head_h = Attention(Q_h, K_g, V_g), g = h / (heads / kvHeads)
/// Y = concat(head_0 … head_{heads-1})·W_O + b_O    [n_q, d_model]
/// </code>
/// C is X itself for self-attention, or another sequence (width d_ctx) for cross-attention.
/// kvHeads &lt; heads is grouped-query attention (GQA); kvHeads = 1 is multi-query attention (MQA).
/// Weights are row-major [in, out] float arrays, live (edit them in place) and initialised with seeded
/// Xavier/Glorot uniform values; biases start at zero. For inference with fixed weights, <see cref="PackWeights"/>
/// takes a snapshot in the projection kernel's layout (faster; edits then need another PackWeights). Forward calls rent their scratch memory from
/// <see cref="System.Buffers.ArrayPool{T}.Shared"/>, so one layer may run on several threads at once
/// as long as nobody edits its weights meanwhile.
/// </summary>
public sealed partial class MultiHeadAttention
{
    /// <summary>
    /// A layer with <paramref name="heads"/> query heads of width d_head = modelDim / heads.
    /// </summary>
    /// <param name="modelDim">d_model: width of the queries' input and of the output.</param>
    /// <param name="heads">Number of query heads; must divide <paramref name="modelDim"/>.</param>
    /// <param name="kvHeads">Number of key/value heads (default: <paramref name="heads"/>); must divide <paramref name="heads"/>.</param>
    /// <param name="contextDim">d_ctx: width of the sequence keys and values are computed from (default: <paramref name="modelDim"/>).</param>
    /// <param name="bias">Whether the four projections add a bias.</param>
    /// <param name="seed">Seed of the weight initialisation: the same seed gives the same weights.</param>
    /// <exception cref="ArgumentException">A size is not positive, heads does not divide modelDim, or kvHeads does not divide heads.</exception>
    public MultiHeadAttention(int modelDim, int heads, int? kvHeads = null, int? contextDim = null, bool bias = true, int seed = 0)
    {
        int kv = kvHeads ?? heads;
        int ctx = contextDim ?? modelDim;
        string dims = $"modelDim={modelDim}, heads={heads}, kvHeads={kv}, contextDim={ctx}";
        if (modelDim <= 0) throw new ArgumentOutOfRangeException(nameof(modelDim), modelDim, $"modelDim must be positive ({dims}).");
        if (heads <= 0) throw new ArgumentOutOfRangeException(nameof(heads), heads, $"heads must be positive ({dims}).");
        if (kv <= 0) throw new ArgumentOutOfRangeException(nameof(kvHeads), kv, $"kvHeads must be positive ({dims}).");
        if (ctx <= 0) throw new ArgumentOutOfRangeException(nameof(contextDim), ctx, $"contextDim must be positive ({dims}).");
        if (modelDim % heads != 0)
            throw new ArgumentException($"heads ({heads}) must divide modelDim ({modelDim}) so that every head gets d_head = modelDim / heads columns ({dims}).", nameof(heads));
        if (heads % kv != 0)
            throw new ArgumentException($"kvHeads ({kv}) must divide heads ({heads}) so that query heads share key/value heads in equal groups ({dims}).", nameof(kvHeads));

        ModelDim = modelDim;
        Heads = heads;
        KvHeads = kv;
        ContextDim = ctx;
        HeadDim = modelDim / heads;
        HasBias = bias;

        QueryWeight = new float[modelDim * modelDim];
        KeyWeight = new float[ctx * KvDim];
        ValueWeight = new float[ctx * KvDim];
        OutputWeight = new float[modelDim * modelDim];
        if (bias)
        {
            QueryBias = new float[modelDim];
            KeyBias = new float[KvDim];
            ValueBias = new float[KvDim];
            OutputBias = new float[modelDim];
        }

        // One generator, fixed order (Q, K, V, O): the seed alone decides every weight.
        var random = new Random(seed);
        WeightInit.GlorotUniform(QueryWeight, modelDim, modelDim, random);
        WeightInit.GlorotUniform(KeyWeight, ctx, KvDim, random);
        WeightInit.GlorotUniform(ValueWeight, ctx, KvDim, random);
        WeightInit.GlorotUniform(OutputWeight, modelDim, modelDim, random);
    }

    /// <summary>d_model: width of the input queries and of the output.</summary>
    public int ModelDim { get; }

    /// <summary>Number of query heads.</summary>
    public int Heads { get; }

    /// <summary>Number of key/value heads (equal to <see cref="Heads"/> unless GQA/MQA).</summary>
    public int KvHeads { get; }

    /// <summary>d_ctx: width of the sequence keys and values are projected from (= d_model for self-attention).</summary>
    public int ContextDim { get; }

    /// <summary>d_head = d_model / heads: width of one head's queries, keys and values.</summary>
    public int HeadDim { get; }

    /// <summary>kvHeads·d_head: width of the projected keys (and values) before the head split.</summary>
    public int KvDim => KvHeads * HeadDim;

    /// <summary>Whether the projections add biases (the bias arrays are null otherwise).</summary>
    public bool HasBias { get; }

    /// <summary>
    /// Rotary position embedding applied to the queries and keys of every head after projection (null: none).
    /// Its head dimension must be <see cref="HeadDim"/>. Positions start at 0 in <c>Forward</c> and continue from
    /// the cache's length in <c>ForwardCached</c>.
    /// </summary>
    public RotaryEmbedding? Rope
    {
        get => rope;
        set
        {
            if (value is not null && value.HeadDim != HeadDim)
                throw new ArgumentException($"Rope.HeadDim ({value.HeadDim}) must equal the layer's d_head ({HeadDim}) (modelDim={ModelDim}, heads={Heads}).", nameof(value));
            rope = value;
        }
    }
    private RotaryEmbedding? rope;

    /// <summary>W_Q, row-major [d_model, d_model]; live.</summary>
    public float[] QueryWeight { get; }
    /// <summary>W_K, row-major [d_ctx, kvHeads·d_head]; live.</summary>
    public float[] KeyWeight { get; }
    /// <summary>W_V, row-major [d_ctx, kvHeads·d_head]; live.</summary>
    public float[] ValueWeight { get; }
    /// <summary>W_O, row-major [d_model, d_model]; live.</summary>
    public float[] OutputWeight { get; }
    /// <summary>b_Q [d_model], or null without biases; live.</summary>
    public float[]? QueryBias { get; }
    /// <summary>b_K [kvHeads·d_head], or null without biases; live.</summary>
    public float[]? KeyBias { get; }
    /// <summary>b_V [kvHeads·d_head], or null without biases; live.</summary>
    public float[]? ValueBias { get; }
    /// <summary>b_O [d_model], or null without biases; live.</summary>
    public float[]? OutputBias { get; }

    /// <summary>Number of learned numbers: the four weight matrices plus the biases.</summary>
    public long ParameterCount =>
        (long)QueryWeight.Length + KeyWeight.Length + ValueWeight.Length + OutputWeight.Length
        + (QueryBias?.Length ?? 0) + (KeyBias?.Length ?? 0) + (ValueBias?.Length ?? 0) + (OutputBias?.Length ?? 0);

    /// <summary>
    /// Copy the four weight matrices, once, into the layout the projection kernel reads (contiguous 64-column panels),
    /// so that <c>Forward</c> no longer copies each panel out of the arrays on every call: about 7 % faster at
    /// n = 128, d_model = 512. ONNX Runtime does the same to a model's constant weights when it creates a session.
    /// The packed copy is a snapshot: while it is in use, edits to <see cref="QueryWeight"/>, <see cref="KeyWeight"/>,
    /// <see cref="ValueWeight"/> or <see cref="OutputWeight"/> do not reach <c>Forward</c> until you call
    /// <see cref="PackWeights"/> again, or <see cref="UnpackWeights"/> to go back to reading the live arrays. Biases
    /// are always read live. Results are bit-identical packed or not.
    /// </summary>
    public void PackWeights() => packedWeights = new LayerPackedWeights(
        new PackedWeight(QueryWeight, ModelDim, ModelDim, HeadDim),
        new PackedWeight(KeyWeight, ContextDim, KvDim, HeadDim),
        new PackedWeight(ValueWeight, ContextDim, KvDim, HeadDim),
        new PackedWeight(OutputWeight, ModelDim, ModelDim, ModelDim));

    /// <summary>Drop the packed copy of <see cref="PackWeights"/>: <c>Forward</c> reads the live weight arrays again.</summary>
    public void UnpackWeights() => packedWeights = null;

    /// <summary>Whether <c>Forward</c> uses a packed snapshot of the weights (<see cref="PackWeights"/>) instead of the live arrays.</summary>
    public bool WeightsArePacked => packedWeights is not null;

    private sealed record LayerPackedWeights(PackedWeight Query, PackedWeight Key, PackedWeight Value, PackedWeight Output);
    private volatile LayerPackedWeights? packedWeights;

    /// <summary>An empty key/value cache sized for this layer, holding up to <paramref name="capacity"/> positions.</summary>
    public KvCache CreateCache(int capacity) => new(KvHeads, HeadDim, capacity);

    /// <inheritdoc/>
    public override string ToString() =>
        $"MultiHeadAttention(d_model={ModelDim}, heads={Heads}, kvHeads={KvHeads}, d_head={HeadDim}, d_ctx={ContextDim}, bias={HasBias}, parameters={ParameterCount})";
}
