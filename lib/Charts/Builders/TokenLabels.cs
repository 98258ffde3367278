namespace Course.Charts;

/// <summary>
/// Turns tokens into labels a categorical plotly axis can show. plotly merges equal category names, so a
/// sentence with "the" twice would lose a row: repeats get invisible zero-width spaces appended (they look the
/// same and hover the same). Blank tokens become visible ("␣" per space, "∅" when empty).
/// </summary>
public static class TokenLabels
{
    private const char ZeroWidthSpace = '\u200B';

    /// <summary>
    /// Labels for <paramref name="count"/> rows or columns: <paramref name="tokens"/> made distinct, or "0", "1"… when null.
    /// Throws when the counts differ, naming both arguments and the grid's shape.
    /// </summary>
    public static string[] ForAxis(IReadOnlyList<string>? tokens, int count, string tokensName, string gridName, string gridShape, string dimension)
    {
        if (tokens is null)
            return Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (tokens.Count != count)
            throw new ArgumentException(
                $"{tokensName} has {tokens.Count} labels but {gridName} has {count} {dimension} (shape {gridShape}); give one label per {dimension.TrimEnd('s')}.",
                tokensName);
        return MakeDistinct(tokens);
    }

    /// <summary>Copies of <paramref name="tokens"/> that are pairwise different and visible.</summary>
    public static string[] MakeDistinct(IReadOnlyList<string> tokens)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var labels = new string[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            var label = Visible(tokens[i] ?? "");
            while (!seen.Add(label)) label += ZeroWidthSpace;
            labels[i] = label;
        }
        return labels;
    }

    /// <summary>The label as the learner wrote it (zero-width spaces removed).</summary>
    public static string Plain(string label) => label.TrimEnd(ZeroWidthSpace);

    private static string Visible(string token) =>
        token.Length == 0 ? "∅" : string.IsNullOrWhiteSpace(token) ? new string('␣', token.Length) : token;
}
