using Microsoft.ML.Tokenizers;

namespace Attention.MiniLM;

/// <summary>
/// The model's own tokenizer: lowercase, accents stripped, split on spaces and punctuation, then WordPiece over the
/// model's vocabulary (a word missing from it is split into known pieces: "chatbot" → "chat", "##bot"). Every
/// sequence is framed as [CLS] … [SEP], as the model was trained.
/// </summary>
public sealed class MiniLMTokenizer
{
    private readonly BertTokenizer tokenizer;
    private readonly string[] vocabulary; // [vocabulary size]: id → token

    /// <summary>A tokenizer over <paramref name="vocabulary"/> (one token per line, line number = id).</summary>
    /// <exception cref="ArgumentException">The vocabulary lacks one of [CLS], [SEP], [PAD], [UNK].</exception>
    public MiniLMTokenizer(IReadOnlyList<string> vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        foreach (var special in new[] { "[CLS]", "[SEP]", "[PAD]", "[UNK]" })
            if (!vocabulary.Contains(special))
                throw new ArgumentException($"The vocabulary ({vocabulary.Count} tokens) has no {special} token.", nameof(vocabulary));
        this.vocabulary = [.. vocabulary];
        using var text = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', vocabulary) + "\n"));
        tokenizer = BertTokenizer.Create(text, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
    }

    /// <summary>Read a vocabulary file's lines (UTF-8, one token per line).</summary>
    public static string[] ReadVocabulary(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1); // a trailing newline is not a token
        return [.. lines];
    }

    /// <summary>Number of tokens the vocabulary knows.</summary>
    public int VocabularySize => vocabulary.Length;

    /// <summary>Id of the padding token, written after the end of shorter sequences in a batch.</summary>
    public int PaddingId => tokenizer.PaddingTokenId;

    /// <summary>The text of token <paramref name="id"/> (e.g. "##bot").</summary>
    public string TokenText(int id) =>
        (uint)id < (uint)vocabulary.Length
            ? vocabulary[id]
            : throw new ArgumentOutOfRangeException(nameof(id), id, $"Token ids are in [0, {vocabulary.Length}).");

    /// <summary>Token ids of <paramref name="text"/>, [CLS] first and [SEP] last.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. tokenizer.EncodeToIds(text, addSpecialTokens: true)];
    }

    /// <summary>The tokens of <paramref name="text"/> as strings ([CLS], "my", "chat", "##bot", …, [SEP]), for chart labels.</summary>
    public string[] Tokens(string text) => [.. Encode(text).Select(TokenText)];
}
