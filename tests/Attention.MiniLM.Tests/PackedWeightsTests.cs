using Attention.Kernels;

namespace Attention.MiniLM.Tests;

/// <summary>
/// <see cref="MiniLMEncoder.PackWeights"/>: every block's attention and feed-forward matrices packed once give the same
/// bits as the live arrays (hidden states, attention weights, sentence vectors, on one thread and two, with padding),
/// and the packed copy is a snapshot until packed again or unpacked.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class PackedWeightsTests(ModelFixture fixture)
{
    [Fact]
    public void Packed_and_live_weights_give_identical_outputs()
    {
        var model = fixture.Model;
        string[] batch = [Sentences.Example, Sentences.Animal, "Hi"];   // three lengths: padding in every block
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                var options = new AttentionOptions { MaxThreads = threads };
                model.Encoder.UnpackWeights();
                Assert.False(model.Encoder.WeightsArePacked);
                var live = model.EncodeBatch(batch, options);
                model.Encoder.PackWeights();
                Assert.True(model.Encoder.WeightsArePacked);
                Assert.All(model.Encoder.AttentionLayers, layer => Assert.True(layer.WeightsArePacked));
                var packed = model.EncodeBatch(batch, options);

                for (int i = 0; i < live.HiddenStates.Count; i++)
                    Assert.True(live.HiddenStates[i].AsSpan().SequenceEqual(packed.HiddenStates[i]), $"hidden state {i}, threads {threads}");
                for (int layer = 0; layer < live.AttentionWeights.Count; layer++)
                    Assert.True(live.AttentionWeights[layer].AsSpan().SequenceEqual(packed.AttentionWeights[layer]), $"attention weights of layer {layer}, threads {threads}");
                Assert.True(live.SentenceEmbeddings.AsSpan().SequenceEqual(packed.SentenceEmbeddings), $"sentence vectors, threads {threads}");
            }
        }
        finally
        {
            model.Encoder.UnpackWeights();
        }
    }

    [Fact]
    public void Packed_weights_are_a_snapshot_until_packed_again_or_unpacked()
    {
        var model = fixture.Model;
        var feedForward = model.Weights.Layers[2].FeedForwardOut.Weight;   // [d_ff, d_model]
        var query = model.Encoder.AttentionLayers[4].QueryWeight;
        (float feedForwardWas, float queryWas) = (feedForward[100], query[200]);   // restored exactly: x + 0.5 − 0.5 need not be x
        try
        {
            model.Encoder.PackWeights();
            var before = model.Encode(Sentences.Example).LastHiddenState;
            feedForward[100] += 0.5f;                                      // edits the snapshot does not have
            query[200] -= 0.5f;
            Assert.True(before.AsSpan().SequenceEqual(model.Encode(Sentences.Example).LastHiddenState), "packed Forward saw an edit made after packing");

            model.Encoder.UnpackWeights();
            Assert.False(model.Encoder.AttentionLayers[4].WeightsArePacked);
            var live = model.Encode(Sentences.Example).LastHiddenState;
            Assert.False(before.AsSpan().SequenceEqual(live), "unpacked Forward did not see the edits");

            model.Encoder.PackWeights();
            Assert.True(live.AsSpan().SequenceEqual(model.Encode(Sentences.Example).LastHiddenState), "packing again did not take the edits");
        }
        finally
        {
            (feedForward[100], query[200]) = (feedForwardWas, queryWas);
            model.Encoder.UnpackWeights();
        }
    }
}

/// <summary>
/// The encoder keeps to <see cref="AttentionOptions.MaxThreads"/> in every layer it runs, the feed-forward products
/// included (they once ran on every core whatever the options said). Alone, so that no other test's kernel calls
/// move the helpers' item count.
/// </summary>
[Collection(ThreadBudgetCollection.Name)]
public sealed class ThreadBudgetTests
{
    [Fact]
    public void One_thread_means_no_helper_runs_an_item()
    {
        Assert.True(KernelThreads.HelperCount > 0, "this test needs a machine with at least 2 cores (the kernels then have helper threads)");
        var model = MiniLMModel.Shared;
        int[] ids = model.Tokenizer.Encode(Sentences.Varied[^1]);         // the long paragraph: every product is worth sharing
        try
        {
            foreach (bool packed in new[] { false, true })
                AssertKeepsToOneThread(model, ids, packed);
        }
        finally
        {
            model.Encoder.UnpackWeights();
        }
    }

    private static void AssertKeepsToOneThread(MiniLMModel model, int[] ids, bool packed)
    {
        if (packed) model.Encoder.PackWeights(); else model.Encoder.UnpackWeights();
        long helped = KernelThreads.ItemsRunByHelpers;
        for (int call = 0; call < 3; call++) model.Forward([ids], new AttentionOptions { MaxThreads = 1 }, keepAttentionWeights: false);
        Assert.True(helped == KernelThreads.ItemsRunByHelpers, $"packed={packed}: helpers ran {KernelThreads.ItemsRunByHelpers - helped} items of one-thread calls");

        // The same calls with two threads do reach the helpers: the count above can see a shared product. (A helper
        // asleep when a call starts may miss it, so call until one joins, for at most 10 s.)
        var retrying = System.Diagnostics.Stopwatch.StartNew();
        while (KernelThreads.ItemsRunByHelpers == helped && retrying.Elapsed < TimeSpan.FromSeconds(10))
            model.Forward([ids], new AttentionOptions { MaxThreads = 2 }, keepAttentionWeights: false);
        Assert.True(KernelThreads.ItemsRunByHelpers > helped, $"packed={packed}: no helper ran an item in 10 s of two-thread calls");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadBudgetCollection
{
    public const string Name = "Sequential: thread budget";
}
