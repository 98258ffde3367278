namespace Attention.MiniLM.Tests;

[Collection(ModelCollection.Name)]
public sealed class EncoderTests(ModelFixture fixture)
{
    [Fact]
    public void TokensFrameTheSentenceAndSplitUnknownWords()
    {
        var output = fixture.Model.Encode(Sentences.Example);
        Assert.Equal("[CLS]", output.Tokens[0]);
        Assert.Equal("[SEP]", output.Tokens[^1]);
        Assert.Equal(["chat", "##bot"], output.Tokens[2..4]);
        Assert.Equal(output.TokenIds.Select(fixture.Model.Tokenizer.TokenText), output.Tokens);
    }

    [Fact]
    public void EveryHeadsRowsAreProbabilities()
    {
        var output = fixture.Model.Encode(Sentences.Animal);
        int n = output.Length;
        for (int layer = 0; layer < output.Config.Layers; layer++)
        {
            var heads = output.Heads(layer);
            for (int h = 0; h < output.Config.Heads; h++)
            {
                var grid = output.Head(layer, h);
                for (int q = 0; q < n; q++)
                {
                    double sum = 0;
                    for (int k = 0; k < n; k++)
                    {
                        Assert.InRange(grid[q, k], 0f, 1f);
                        Assert.Equal(grid[q, k], heads[h, q, k]);
                        Assert.Equal(grid[q, k], output.Weight(layer, h, q, k));
                        sum += grid[q, k];
                    }
                    Assert.Equal(1, sum, 5);
                }
            }
        }
        Assert.Equal(output.Config.Layers + 1, output.HiddenStates.Count);
        Assert.Equal(n * output.Config.ModelDim, output.LastHiddenState.Length);
    }

    [Fact]
    public void BadSequencesAreRejectedWithTheirIndex()
    {
        var encoder = fixture.Model.Encoder;
        int pad = fixture.Model.Tokenizer.PaddingId;
        Assert.Throws<ArgumentException>(() => encoder.Forward([], pad));
        var empty = Assert.Throws<ArgumentException>(() => encoder.Forward([[101, 102], []], pad));
        Assert.Contains("sequences[1] has 0 tokens", empty.Message);
        var outside = Assert.Throws<ArgumentException>(() => encoder.Forward([[101, 30522, 102]], pad));
        Assert.Contains("token id 30522", outside.Message);
        var tooLong = Assert.Throws<ArgumentException>(() => encoder.Forward([Enumerable.Repeat(1000, 513).ToArray()], pad));
        Assert.Contains("513 tokens", tooLong.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Forward([[101, 102]], -1));
    }

    [Fact]
    public void TheLongestSequenceRuns()
    {
        var ids = Enumerable.Repeat(1996, 512).ToArray(); // "the" × 512: every position of the table
        var output = fixture.Model.Forward([ids], keepAttentionWeights: false);
        Assert.Equal(512, output.Length);
        Assert.All(output.SentenceEmbeddings, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void OutputHelpersCheckTheirArguments()
    {
        var output = fixture.Model.Encode("short one");
        Assert.Throws<ArgumentOutOfRangeException>(() => output.Head(6, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => output.Head(0, 12));
        Assert.Throws<ArgumentOutOfRangeException>(() => output.Weight(0, 0, output.Length, 0));
        Assert.Equal(-1, output.IndexOf("absent"));
        Assert.Equal(1, output.IndexOf("short"));

        var withoutWeights = fixture.Model.Encode("short one", keepAttentionWeights: false);
        Assert.Throws<InvalidOperationException>(() => withoutWeights.Heads(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => fixture.Model.EncodeBatch(["a", "b"]).Sequence(2));
    }

    [Fact]
    public void AVocabularyWithoutSpecialTokensIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new MiniLMTokenizer(["a", "b", "[SEP]", "[PAD]", "[UNK]"]));
        Assert.Contains("[CLS]", error.Message);
    }
}
