using Onnx;

namespace Attention.MiniLM;

/// <summary>
/// Reads a BERT encoder's parameters out of its ONNX graph (as exported from PyTorch by sentence-transformers).
/// The biases and LayerNorm parameters carry PyTorch names (<c>encoder.layer.3.attention.self.query.bias</c>); the
/// MatMul weights are anonymous initializers (<c>927</c>…). So every weight is found by walking the graph from a
/// named parameter: bias → the Add that reads it → the MatMul feeding that Add → its weight, [in, out]. Each step
/// also checks that the value flows where a BERT block sends it (Q, K, V read the block's input; the Softmax feeds
/// the output projection; residuals and LayerNorms are wired in order), so a model of another structure fails with a
/// <see cref="MiniLMFormatException"/> naming the missing piece.
/// </summary>
internal static class GraphWeightReader
{
    public static MiniLMWeights Read(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Graph is null) throw new MiniLMFormatException("The ONNX model has no graph.");
        var graph = new OnnxGraph(model.Graph);

        var (embeddings, tokenIds, tokenTypeIds, embeddingOutput) = ReadEmbeddings(graph);
        int modelDim = embeddings.Norm.Scale.Length;

        var layers = new List<EncoderLayerWeights>();
        var probabilities = new List<string>();
        string x = embeddingOutput, maskInput = "";
        int heads = 0, feedForward = 0;
        for (int i = 0; graph.HasInitializer($"encoder.layer.{i}.attention.self.query.bias"); i++)
        {
            var block = ReadBlock(graph, i, x, modelDim);
            layers.Add(block.Weights);
            probabilities.Add(block.Probabilities);
            if (i > 0 && (block.Heads != heads || block.FeedForwardDim != feedForward))
                throw new MiniLMFormatException($"Layer {i} has {block.Heads} heads and feed-forward {block.FeedForwardDim}; layer 0 has {heads} and {feedForward}.");
            (heads, feedForward, maskInput, x) = (block.Heads, block.FeedForwardDim, block.MaskInput, block.Output);
        }
        if (layers.Count == 0)
            throw new MiniLMFormatException("The model has no encoder layer: no initializer named 'encoder.layer.0.attention.self.query.bias'.");
        if (!model.Graph.Output.Any(o => o.Name == x))
            throw new MiniLMFormatException($"The last block's output '{x}' is not an output of the graph (outputs: {string.Join(", ", model.Graph.Output.Select(o => o.Name))}).");

        var config = new MiniLMConfig
        {
            Layers = layers.Count,
            Heads = heads,
            ModelDim = modelDim,
            FeedForwardDim = feedForward,
            VocabularySize = embeddings.Word.Length / modelDim,
            MaxPositions = embeddings.Position.Length / modelDim,
            TokenTypes = embeddings.TokenType.Length / modelDim,
            LayerNormEpsilon = embeddings.Norm.Epsilon,
        };
        return new MiniLMWeights(config, embeddings, layers)
        {
            AttentionProbabilityValues = probabilities,
            LastHiddenStateValue = x,
            InputNames = (tokenIds, maskInput, tokenTypeIds),
        };
    }

    private static (EmbeddingWeights Weights, string TokenIds, string TokenTypeIds, string Output) ReadEmbeddings(OnnxGraph graph)
    {
        const string what = "Embeddings";
        var word = LookupTable(graph, "embeddings.word_embeddings.weight", what);
        var position = LookupTable(graph, "embeddings.position_embeddings.weight", what);
        var tokenType = LookupTable(graph, "embeddings.token_type_embeddings.weight", what);
        long modelDim = word.Shape[1];
        if (position.Shape[1] != modelDim || tokenType.Shape[1] != modelDim)
            throw new MiniLMFormatException($"{what}: the word, position and token-type tables must have the same width; they have {word.Shape[1]}, {position.Shape[1]}, {tokenType.Shape[1]}.");
        if (!graph.Inputs.Contains(word.Indices) || !graph.Inputs.Contains(tokenType.Indices))
            throw new MiniLMFormatException($"{what}: the word and token-type lookups should read graph inputs; they read '{word.Indices}' and '{tokenType.Indices}'.");

        // LayerNorm(word + tokenType + position): its mean-subtraction reads the sum of the three lookups.
        var norm = ReadLayerNorm(graph, "embeddings.LayerNorm", (int)modelDim, what, out var sum, out var output);
        var sumNode = graph.ProducerOf(sum, "Add", what);
        var firstSum = graph.ProducerOf(OnnxGraph.OtherInput(sumNode, position.Output, $"{what} (position added last)"), "Add", what);
        if (!firstSum.Input.Contains(word.Output) || !firstSum.Input.Contains(tokenType.Output))
            throw new MiniLMFormatException($"{what}: node '{firstSum.Name}' should add the word and token-type lookups; it adds ({string.Join(", ", firstSum.Input)}).");

        var weights = new EmbeddingWeights(
            graph.Floats(word.Name, what, word.Shape),
            graph.Floats(position.Name, what, position.Shape),
            graph.Floats(tokenType.Name, what, tokenType.Shape),
            norm);
        return (weights, word.Indices, tokenType.Indices, output);
    }

    private readonly record struct Lookup(string Name, long[] Shape, string Indices, string Output);

    /// <summary>A [rows, d_model] table read by one Gather node.</summary>
    private static Lookup LookupTable(OnnxGraph graph, string name, string what)
    {
        var shape = graph.Shape(name, what).ToArray();
        if (shape.Length != 2) throw new MiniLMFormatException($"{what}: '{name}' should be a [rows, d_model] table; its shape is [{string.Join(", ", shape)}].");
        var gather = graph.SingleConsumer(name, "Gather", what);
        if (gather.Input[0] != name) throw new MiniLMFormatException($"{what}: Gather node '{gather.Name}' should look rows up in '{name}'.");
        return new Lookup(name, shape, gather.Input[1], gather.Output[0]);
    }

    private readonly record struct Block(EncoderLayerWeights Weights, string Probabilities, string MaskInput, string Output, int Heads, int FeedForwardDim);

    private static Block ReadBlock(OnnxGraph graph, int layer, string x, int modelDim)
    {
        string prefix = $"encoder.layer.{layer}", what = $"Layer {layer}";
        var query = ReadDense(graph, $"{prefix}.attention.self.query.bias", x, modelDim, modelDim, $"{what} query", out var q, directly: true);
        var key = ReadDense(graph, $"{prefix}.attention.self.key.bias", x, modelDim, modelDim, $"{what} key", out var k, directly: true);
        var value = ReadDense(graph, $"{prefix}.attention.self.value.bias", x, modelDim, modelDim, $"{what} value", out var v, directly: true);

        // Scores: split Q and K into heads, Q·Kᵀ, divided by √d_k, plus the padding mask, then Softmax.
        var (heads, headDim) = HeadSplit(graph, q, modelDim, $"{what} query heads");
        var qk = graph.SingleConsumer(graph.SingleConsumer(graph.SingleConsumer(q, "Reshape", what).Output[0], "Transpose", what).Output[0], "MatMul", $"{what} Q·Kᵀ");
        if (!ComesFrom(graph, qk.Input[1], k)) throw new MiniLMFormatException($"{what}: the Q·Kᵀ node '{qk.Name}' does not read the keys '{k}'.");
        var divide = graph.SingleConsumer(qk.Output[0], "Div", $"{what} scaling");
        double root = graph.Scalar(divide.Input[1], $"{what} scaling");
        if (Math.Abs(root - Math.Sqrt(headDim)) > 1e-4 * Math.Sqrt(headDim))
            throw new MiniLMFormatException($"{what}: scores are divided by {root}, expected √d_k = √{headDim}.");
        var addMask = graph.SingleConsumer(divide.Output[0], "Add", $"{what} mask");
        string maskInput = GraphInputBehind(graph, OnnxGraph.OtherInput(addMask, divide.Output[0], $"{what} mask"), $"{what} mask");
        var softmax = graph.SingleConsumer(addMask.Output[0], "Softmax", $"{what} softmax");
        var axis = softmax.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? -1;
        if (axis != -1 && axis != 3) throw new MiniLMFormatException($"{what}: Softmax '{softmax.Name}' runs over axis {axis}, expected the keys (-1).");
        string probabilities = softmax.Output[0];

        // Weighted sum of the values, heads merged back, output projection; the weights feed it, and so do the values.
        var weightedSum = graph.SingleConsumer(probabilities, "MatMul", $"{what} weights·V");
        if (!ComesFrom(graph, weightedSum.Input[1], v)) throw new MiniLMFormatException($"{what}: the weights·V node '{weightedSum.Name}' does not read the values '{v}'.");
        var output = ReadDense(graph, $"{prefix}.attention.output.dense.bias", weightedSum.Output[0], modelDim, modelDim, $"{what} attention output", out var attention);

        // a = LayerNorm(x + attention)
        var attentionNorm = ReadLayerNorm(graph, $"{prefix}.attention.output.LayerNorm", modelDim, what, out var residual1, out var a);
        ExpectResidual(graph, residual1, attention, x, $"{what} attention residual");

        // y = LayerNorm(a + W₂·GELU(W₁·a + b₁) + b₂), GELU with erf.
        var intermediateBias = $"{prefix}.intermediate.dense.bias";
        var intermediateShape = graph.Shape(intermediateBias, what);
        if (intermediateShape.Count != 1) throw new MiniLMFormatException($"{what}: '{intermediateBias}' should be a vector [d_ff]; its shape is [{string.Join(", ", intermediateShape)}].");
        int feedForward = (int)intermediateShape[0];
        var feedForwardIn = ReadDense(graph, intermediateBias, a, modelDim, feedForward, $"{what} feed-forward in", out var hidden, directly: true);
        ExpectErfGelu(graph, hidden, what);
        var feedForwardOut = ReadDense(graph, $"{prefix}.output.dense.bias", hidden, feedForward, modelDim, $"{what} feed-forward out", out var ffOut);
        var outputNorm = ReadLayerNorm(graph, $"{prefix}.output.LayerNorm", modelDim, what, out var residual2, out var y);
        ExpectResidual(graph, residual2, ffOut, a, $"{what} feed-forward residual");

        var weights = new EncoderLayerWeights(query, key, value, output, attentionNorm, feedForwardIn, feedForwardOut, outputNorm);
        return new Block(weights, probabilities, maskInput, y, heads, feedForward);
    }

    /// <summary>
    /// bias → Add(bias, MatMul(m, W)) → W [in, out]. The MatMul's input m must be <paramref name="source"/> itself
    /// (<paramref name="directly"/>: Q, K, V and W₁ read the block's input or the attention sub-layer's output), or be
    /// computed from it (the heads' weighted sums reach W_O through a transpose and a reshape; W₁'s output reaches W₂
    /// through the GELU).
    /// </summary>
    private static DenseWeights ReadDense(OnnxGraph graph, string biasName, string source, int inDim, int outDim, string what, out string output, bool directly = false)
    {
        var add = graph.SingleConsumer(biasName, "Add", what);
        var matMul = graph.ProducerOf(OnnxGraph.OtherInput(add, biasName, what), "MatMul", what);
        if (directly ? matMul.Input[0] != source : !ComesFrom(graph, matMul.Input[0], source))
            throw new MiniLMFormatException(
                $"{what}: MatMul '{matMul.Name}' reads '{matMul.Input[0]}', expected {(directly ? "" : "a value computed from ")}'{source}'.");
        var weightName = matMul.Input[1];
        if (!graph.HasInitializer(weightName))
            throw new MiniLMFormatException($"{what}: MatMul '{matMul.Name}' multiplies by '{weightName}', which is not a stored weight.");
        output = add.Output[0];
        return new DenseWeights(graph.Floats(weightName, what, inDim, outDim), graph.Floats(biasName, what, outDim), inDim, outDim);
    }

    /// <summary>
    /// LayerNorm written out as ONNX ops: (v − mean) / √(var + ε) · γ + β. Returns γ, β, ε; <paramref name="input"/> is
    /// the normalised value, <paramref name="output"/> the result.
    /// </summary>
    private static LayerNormWeights ReadLayerNorm(OnnxGraph graph, string prefix, int modelDim, string what, out string input, out string output)
    {
        string scaleName = $"{prefix}.weight", biasName = $"{prefix}.bias", at = $"{what} LayerNorm '{prefix}'";
        var scaleMul = graph.SingleConsumer(scaleName, "Mul", at);
        var divide = graph.ProducerOf(OnnxGraph.OtherInput(scaleMul, scaleName, at), "Div", at);
        var centre = graph.ProducerOf(divide.Input[0], "Sub", at);
        var root = graph.ProducerOf(divide.Input[1], "Sqrt", at);
        var addEpsilon = graph.ProducerOf(root.Input[0], "Add", at);
        var variance = graph.ProducerOf(addEpsilon.Input[0], "ReduceMean", at);
        double epsilon = graph.Scalar(addEpsilon.Input[1], $"{at} ε");
        if (graph.ProducerOf(centre.Input[1], "ReduceMean", at).Input[0] != centre.Input[0] || !ComesFrom(graph, variance.Input[0], divide.Input[0]))
            throw new MiniLMFormatException($"{at}: the mean and variance are not taken over the normalised value '{centre.Input[0]}'.");
        var shift = graph.SingleConsumer(scaleMul.Output[0], "Add", at);
        if (!shift.Input.Contains(biasName)) throw new MiniLMFormatException($"{at}: the scaled value is not shifted by '{biasName}'.");
        input = centre.Input[0];
        output = shift.Output[0];
        return new LayerNormWeights(graph.Floats(scaleName, at, modelDim), graph.Floats(biasName, at, modelDim), (float)epsilon);
    }

    /// <summary>The head split of Q: Reshape to [batch, n, heads, d_k], the last two read from the shape's constants.</summary>
    private static (int Heads, int HeadDim) HeadSplit(OnnxGraph graph, string q, int modelDim, string what)
    {
        var reshape = graph.SingleConsumer(q, "Reshape", what);
        var shape = graph.ProducerOf(reshape.Input[1], "Concat", what);
        if (shape.Input.Count != 4) throw new MiniLMFormatException($"{what}: the head split should reshape to 4 dimensions; '{shape.Name}' concatenates {shape.Input.Count}.");
        int heads = (int)graph.Scalar(shape.Input[2], what), headDim = (int)graph.Scalar(shape.Input[3], what);
        if (heads <= 0 || heads * headDim != modelDim)
            throw new MiniLMFormatException($"{what}: {heads} heads × d_k {headDim} should equal d_model {modelDim}.");
        return (heads, headDim);
    }

    /// <summary>sum = Add(branch, skip): a residual connection.</summary>
    private static void ExpectResidual(OnnxGraph graph, string sum, string branch, string skip, string what)
    {
        var add = graph.ProducerOf(sum, "Add", what);
        if (!add.Input.Contains(branch) || !add.Input.Contains(skip))
            throw new MiniLMFormatException($"{what}: '{add.Name}' should add '{branch}' and the skip connection '{skip}'; it adds ({string.Join(", ", add.Input)}).");
    }

    /// <summary>GELU(h) = h · ½(1 + erf(h/√2)): a Div by √2 feeding an Erf must read h.</summary>
    private static void ExpectErfGelu(OnnxGraph graph, string hidden, string what)
    {
        var divide = graph.SingleConsumer(hidden, "Div", $"{what} GELU");
        double root2 = graph.Scalar(divide.Input[1], $"{what} GELU");
        if (Math.Abs(root2 - Math.Sqrt(2)) > 1e-5)
            throw new MiniLMFormatException($"{what} GELU: the input is divided by {root2}, expected √2 (the erf form of GELU).");
        graph.SingleConsumer(divide.Output[0], "Erf", $"{what} GELU");
    }

    /// <summary>Whether <paramref name="value"/> is <paramref name="source"/> or is computed from it (walking producers back).</summary>
    private static bool ComesFrom(OnnxGraph graph, string value, string source)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([value]);
        while (pending.TryPop(out var current))
        {
            if (current == source) return true;
            if (!seen.Add(current)) continue;
            if (graph.Producer(current) is { } node)
                foreach (var input in node.Input) pending.Push(input);
        }
        return false;
    }

    /// <summary>The one graph input that <paramref name="value"/> is computed from (the attention mask behind the score bias).</summary>
    private static string GraphInputBehind(OnnxGraph graph, string value, string what)
    {
        var found = graph.Inputs.Where(input => ComesFrom(graph, value, input)).ToList();
        return found.Count == 1
            ? found[0]
            : throw new MiniLMFormatException($"{what}: '{value}' should be computed from exactly one graph input (the attention mask); it comes from {found.Count}.");
    }
}
