using Course.Exercises.Framework;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 06: one step of cached decoding. The caches hold the keys and values of the tokens so far (oldest first);
    /// the step appends the new token's key and value to the end of the caches, then attends the new query over every
    /// cached position (itself included) with scale 1/√d_k. Called once per token from empty caches, the steps give the
    /// rows of causal attention over the whole sequence; one case checks exactly that.
    /// </summary>
    /// <param name="decodeStep">
    /// Your function: (keyCache, valueCache, query [d_k], key [d_k], value [d_v]) → output [d_v]. It must add
    /// <c>key</c> to <c>keyCache</c> and <c>value</c> to <c>valueCache</c> (the lists are yours to modify).
    /// </param>
    public static CheckResult KvCacheStep(Func<List<float[]>, List<float[]>, float[], float[], float[], float[]> decodeStep) =>
        KvCacheStepCheck.Exercise.Run(decodeStep);
}

internal static class KvCacheStepCheck
{
    /// <summary>The caches before the first step and, per step, the new token's query, key and value.</summary>
    public sealed record Input(List<float[]> Keys, List<float[]> Values, float[][] Queries, float[][] NewKeys, float[][] NewValues);

    /// <summary>How a (possibly wrong) decoder treats the caches: one simulation serves the reference and every mistake.</summary>
    private sealed record Decoder
    {
        public bool Persist { get; init; } = true;          // the new key/value stay in the caches
        public bool SeeNew { get; init; } = true;           // the step attends to its own key/value
        public bool Prepend { get; init; }                  // new entries go to the front
        public bool QueryAsKey { get; init; }               // the query is cached as the key
        public bool SwapKeyValue { get; init; }             // key → value cache, value → key cache
        public double? Scale { get; init; }                 // null: 1/√d_k
    }

    public static readonly Exercise<Input, Func<List<float[]>, List<float[]>, float[], float[], float[], float[]>> Exercise = new()
    {
        Title = "KV-cache decoding step (notebook 06)",
        Outputs =
        [
            new OutputSpec("output", "steps", "d_v") { Axes = ["step", "column"], Jagged = true },
            new OutputSpec("keyCache", "positions", "d_k") { Axes = ["position", "column"], Jagged = true },
            new OutputSpec("valueCache", "positions", "d_v") { Axes = ["position", "column"], Jagged = true },
        ],
        Reference = input => Decode(input, new Decoder())!,
        Invoke = Invoke,
        Cases =
        [
            new("cache of 3 positions (d_k = 4, d_v = 2), one step", () => Random(91, cached: 3, steps: 1, 4, 2)),
            new("empty caches (the first token): the output is its own value", () => Random(92, cached: 0, steps: 1, 3, 3)),
            new("cache of 5 positions (d_k = d_v = 3), one step", () => Random(93, cached: 5, steps: 1, 3, 3)),
            new("5 steps from empty caches (the outputs are the rows of causal attention over the 5 tokens)", () => Random(94, cached: 0, steps: 5, 4, 2)),
            new("large scores (query entries around ±100), cache of 4, one step", () => Random(95, cached: 4, steps: 1, 8, 2, queryScale: 100))
            {
                NonFiniteHint = AttentionCheck.LargeScores,
            },
            new("every score far below 0 (query entries around −100, keys around +3), cache of 3, two steps",
                () => Random(96, cached: 3, steps: 2, 4, 2, queryScale: 10, queryOffset: -100, keyOffset: 3))
            {
                NonFiniteHint = SoftmaxMistakes.UnderflowHint,
            },
        ],
        Mistakes =
        [
            new("attend-before-append", "Your output ignores the new token's own key and value: the step attends before appending them.",
                "Append k and v to the caches first, then attend the query over every cached position, the new one included.",
                input => Decode(input, new Decoder { SeeNew = false })),
            new("not-appended", "Your caches did not grow: the new key and value were not added.",
                "Add them at the end: `keyCache.Add(key); valueCache.Add(value);`, so that later tokens see this one.",
                input => Decode(input, new Decoder { Persist = false })),
            new("not-appended", "Your caches did not grow: the new key and value were not added.",
                "Add them at the end: `keyCache.Add(key); valueCache.Add(value);`, so that later tokens see this one.",
                input => Decode(input, new Decoder { Persist = false, SeeNew = false })),
            new("prepended", "Your caches have the new entries at the front: the cache keeps positions in order, the newest last.",
                "Use `Add` (append at the end), not `Insert(0, …)`.",
                input => Decode(input, new Decoder { Prepend = true })),
            new("query-cached", "Your key cache received the query instead of the key.",
                "Cache the key: `keyCache.Add(key)`; the query is only used for this step's scores.",
                input => Decode(input, new Decoder { QueryAsKey = true })),
            new("key-value-swapped", "Your key cache received the value and your value cache the key.",
                "`keyCache.Add(key); valueCache.Add(value);`",
                input => Decode(input, new Decoder { SwapKeyValue = true })),
            new("no-scale", "Your output matches attention without the 1/√d_k scale.",
                "Divide each score q·k by √d_k before the softmax.",
                input => Decode(input, new Decoder { Scale = 1 })),
        ],
        ExceptionHint = "With an empty cache the step must still work: append first, so there is at least one key. Scores: one per cached key, q·k / √d_k.",
        ShapeHint = "The output has the width of the values (d_v), and each step adds exactly one entry to each cache.",
        MismatchHint = "Append k and v, then: score_j = q·keyCache[j] / √d_k for every cached j, weights = softmax(scores), output = Σⱼ weights_j · valueCache[j].",
    };

    private static Tensor[] Invoke(Func<List<float[]>, List<float[]>, float[], float[], float[], float[]> step, Input input)
    {
        var outputs = new List<float[]>();
        for (int t = 0; t < input.Queries.Length; t++)
        {
            float[]? output = step(input.Keys, input.Values, input.Queries[t], input.NewKeys[t], input.NewValues[t]);
            outputs.Add((float[])output?.Clone()!);   // a copy: the learner may reuse one array for every step
        }
        return [Observe.Rows(outputs, "output"), Observe.Rows(input.Keys, "keyCache"), Observe.Rows(input.Values, "valueCache")];
    }

    /// <summary>Run the steps the way <paramref name="decoder"/> does, in float64: [outputs, key cache, value cache]; null if its shapes cannot work.</summary>
    private static Tensor[]? Decode(Input input, Decoder decoder)
    {
        var keys = input.Keys.Select(Row).ToList();     // each [1, d_k]
        var values = input.Values.Select(Row).ToList(); // each [1, d_v]
        var outputs = new List<Tensor>();               // each [1, d_v]
        int valueDim = input.NewValues[0].Length;
        for (int t = 0; t < input.Queries.Length; t++)
        {
            Tensor query = Row(input.Queries[t]);
            Tensor key = Row(decoder.QueryAsKey ? input.Queries[t] : decoder.SwapKeyValue ? input.NewValues[t] : input.NewKeys[t]);
            Tensor value = Row(decoder.SwapKeyValue ? input.NewKeys[t] : input.NewValues[t]);
            if (key.Cols != query.Cols) return null;

            var seenKeys = decoder.SeeNew ? Add(keys, key, decoder.Prepend) : keys;
            var seenValues = decoder.SeeNew ? Add(values, value, decoder.Prepend) : values;
            outputs.Add(seenKeys.Count == 0
                ? Tensor.Zeros(1, valueDim)
                : AttentionMath.Forward(query, Stack(seenKeys), Stack(seenValues), decoder.Scale ?? AttentionMath.DefaultScale(query.Cols)).Output);
            if (decoder.Persist)
            {
                keys = Add(keys, key, decoder.Prepend);
                values = Add(values, value, decoder.Prepend);
            }
        }
        return [Stack(outputs), Stack(keys), Stack(values)];
    }

    private static List<Tensor> Add(List<Tensor> cache, Tensor entry, bool prepend) => prepend ? [entry, .. cache] : [.. cache, entry];

    private static Tensor Row(float[] x) => Tensor.From(x).Reshape(1, x.Length);

    /// <summary>Rows [1, d] into a matrix [count, d]; an empty list gives [0, 0] like an empty learner list.</summary>
    private static Tensor Stack(List<Tensor> rows) =>
        rows.Count == 0 ? Tensor.Zeros(0, 0) : TensorMath.Stack(rows).Reshape(rows.Count, rows[0].Cols);

    private static Input Random(int seed, int cached, int steps, int headDim, int valueDim, double queryScale = 1, double queryOffset = 0, double keyOffset = 0)
    {
        var inputs = new Inputs(seed);
        return new(
            Enumerable.Range(0, cached).Select(_ => inputs.Vector(headDim, 1, keyOffset)).ToList(),
            Enumerable.Range(0, cached).Select(_ => inputs.Vector(valueDim)).ToList(),
            Enumerable.Range(0, steps).Select(_ => inputs.Vector(headDim, queryScale, queryOffset)).ToArray(),
            Enumerable.Range(0, steps).Select(_ => inputs.Vector(headDim, 1, keyOffset)).ToArray(),
            Enumerable.Range(0, steps).Select(_ => inputs.Vector(valueDim)).ToArray());
    }
}
