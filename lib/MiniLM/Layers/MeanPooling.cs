namespace Attention.MiniLM;

/// <summary>
/// The sentence embedding of sentence-transformers: the average of the last hidden states over the real tokens
/// ([CLS] and [SEP] included, padding left out), scaled to length 1 so that a dot product of two embeddings is
/// their cosine similarity.
/// </summary>
public static class MeanPooling
{
    /// <summary>
    /// embedding [d] = normalise(mean of hidden[t, :] for t in [0, length)) from hidden [rows, d] (rows ≥ length).
    /// With length 0, or a zero mean, the embedding is all zeros.
    /// </summary>
    /// <exception cref="ArgumentException">A span's length does not match the shapes, or length is outside [0, rows].</exception>
    public static void Forward(ReadOnlySpan<float> hidden, int rows, int length, Span<float> embedding)
    {
        int d = embedding.Length;
        string shapes = $"hidden [{rows}, {d}], length {length}, embedding [{d}]";
        if (d == 0) throw new ArgumentException($"embedding is empty ({shapes}).", nameof(embedding));
        if (hidden.Length != (long)rows * d) throw new ArgumentException($"hidden has {hidden.Length} elements, expected rows·d = {(long)rows * d} ({shapes}).", nameof(hidden));
        if (length < 0 || length > rows) throw new ArgumentOutOfRangeException(nameof(length), length, $"length must be in [0, rows] ({shapes}).");

        var sum = new double[d]; // [d]
        for (int t = 0; t < length; t++)
            for (int i = 0; i < d; i++) sum[i] += hidden[t * d + i];
        double norm = 0;
        foreach (double s in sum) norm += s * s;
        norm = Math.Sqrt(norm); // the 1/length of the mean cancels in the normalisation
        for (int i = 0; i < d; i++) embedding[i] = norm > 0 ? (float)(sum[i] / norm) : 0f;
    }
}
