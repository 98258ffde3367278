using Attention;
using Course.Notebook;

namespace Course.Charts.Tests;

/// <summary>The running example as the notebooks read it: data/example-sentence.json through <see cref="ExampleSentence"/>.</summary>
public sealed class ExampleSentenceTests
{
    private static readonly string DataFile = Path.Combine(RepoRoot(), "data", "example-sentence.json");

    [Fact]
    public void Loads_tokens_embeddings_and_heads_with_consistent_shapes()
    {
        var example = ExampleSentence.Load(DataFile);

        Assert.Equal("My chatbot was working fine yesterday, but now it returns errors on every message.", example.Sentence);
        Assert.Equal(16, example.Length);
        Assert.Equal(9, example.IndexOf("it"));
        Assert.Equal((16, example.Features.Count), (example.X.RowCount, example.X.ColumnCount));
        Assert.Equal(example.Features.Count, example.FeatureMeanings.Count);
        foreach (var name in example.HeadNames)
        {
            var head = example.Head(name);
            Assert.Equal(example.Features.Count, head.WQ.RowCount);
            Assert.Equal(head.WQ.ColumnCount, head.WK.ColumnCount);
            Assert.Equal(head.ValueDim, head.ValueFeatures.Count);
        }
    }

    [Fact]
    public void The_coreference_head_sends_it_to_chatbot_as_data_README_says()
    {
        var example = ExampleSentence.Load(DataFile);
        var head = example.Head("coreference");
        var x = example.X;                                                   // [16, 14]

        var result = Attend.ScaledDotProduct(x * head.WQ, x * head.WK, x * head.WV, path: KernelPath.Reference);

        int it = example.IndexOf("it"), chatbot = example.IndexOf("chatbot");
        Assert.Equal(0.80, result.Weights[it, chatbot], 2);                 // data/README.md: "it → chatbot 0.80"
    }

    [Fact]
    public void Matrices_are_copies_so_a_notebook_cannot_corrupt_the_example()
    {
        var example = ExampleSentence.Load(DataFile);
        var before = example.X[0, 0];
        example.X[0, 0] = before + 1;
        example.Head("reader").WQ[0, 0] += 1;

        Assert.Equal(before, example.X[0, 0]);
        Assert.Equal(ExampleSentence.Load(DataFile).Head("reader").WQ[0, 0], example.Head("reader").WQ[0, 0]);
    }

    [Fact]
    public void Unknown_names_and_missing_files_say_what_exists()
    {
        var example = ExampleSentence.Load(DataFile);

        var token = Assert.Throws<ArgumentException>(() => example.IndexOf("robot"));
        Assert.Equal("token", token.ParamName);
        Assert.Contains("chatbot", token.Message);
        var head = Assert.Throws<ArgumentException>(() => example.Head("nope"));
        Assert.Contains("coreference", head.Message);
        var missing = Assert.Throws<FileNotFoundException>(() => ExampleSentence.Load("no/such/example.json"));
        Assert.Contains("../data/", missing.Message);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Course.sln"))) return dir.FullName;
        throw new InvalidOperationException("Course.sln not found above " + AppContext.BaseDirectory);
    }
}
