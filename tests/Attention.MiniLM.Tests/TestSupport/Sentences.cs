namespace Attention.MiniLM.Tests;

/// <summary>Test sentences of different lengths and kinds (the tokenizer's splits, punctuation, numbers, a long paragraph).</summary>
public static class Sentences
{
    public const string Example = "My chatbot was working fine yesterday, but now it returns errors on every message.";
    public const string Animal = "The animal didn't cross the street because it was too tired.";

    public static readonly string[] Varied =
    [
        "Hi",
        Example,
        Animal,
        "Version 2.0 shipped on 14 March; latency dropped from 350 ms to 90 ms (a 74% cut).",
        "Attention lets every token read from every other token in the sentence, weighting each one by how well its key " +
        "matches the query. Stack six such layers, each with twelve heads and a feed-forward network in between, and you " +
        "get a small encoder that turns a sentence into a single vector for search and clustering.",
    ];

    public static IEnumerable<object[]> VariedData => Varied.Select(s => new object[] { s });
}
