namespace Attention;

/// <summary>
/// Softmax over spans of float32: <c>p_j = exp(x_j / T) / Σ_i exp(x_i / T)</c>, computed stably as
/// <c>exp((x_j - max) / T) / Σ_i exp((x_i - max) / T)</c> so that no exponent is positive and nothing overflows.
/// Vectorised with the widest accelerated width (see <see cref="SimdSupport"/>).
/// </summary>
/// <remarks>
/// Defined behaviour of a row (a whole span, or one matrix row):
/// <list type="bullet">
/// <item>A logit of -inf, or a masked entry (allowed = false), gets probability exactly 0 (log-probability -inf).</item>
/// <item>A row whose logits are all -inf or all masked (or that is empty) gets all zeros (log: all -inf), never NaN.</item>
/// <item>Large finite logits such as ±1e30 are exact to float32 precision: only differences to the row maximum are exponentiated.</item>
/// <item>A NaN logit makes the row NaN: every entry that is not -inf or masked becomes NaN.</item>
/// <item>A +inf logit does the same: the limit would need ∞ − ∞, which is undefined, so the row is NaN rather than a guess.</item>
/// </list>
/// The output may be the input span itself (in place); any other overlap is rejected.
/// </remarks>
public static class Softmax
{
    /// <summary>probs = softmax(logits / temperature).</summary>
    /// <param name="logits">Scores [n].</param>
    /// <param name="probs">Receives probabilities [n]; may be <paramref name="logits"/> itself.</param>
    /// <param name="temperature">Positive and finite, with 1/temperature finite too. Above 1 flattens, below 1 sharpens.</param>
    /// <exception cref="ArgumentException">Lengths differ or the spans partly overlap.</exception>
    /// <exception cref="ArgumentOutOfRangeException">temperature is NaN, ≤ 0, infinite or so small that 1/temperature overflows.</exception>
    public static void Forward(ReadOnlySpan<float> logits, Span<float> probs, float temperature = 1f)
    {
        float factor = CheckTemperature(temperature);
        CheckOutput(logits, probs, nameof(probs), $"[n={logits.Length}]");
        SoftmaxKernel.Forward(logits, probs, factor);
    }

    /// <summary>Masked softmax: entries with <paramref name="allowed"/>[j] = false get probability 0 and do not count in the sum.</summary>
    /// <param name="logits">Scores [n].</param>
    /// <param name="allowed">[n], true = keep.</param>
    /// <param name="probs">Receives probabilities [n]; may be <paramref name="logits"/> itself.</param>
    /// <param name="temperature">Positive and finite, with 1/temperature finite too.</param>
    public static void Forward(ReadOnlySpan<float> logits, ReadOnlySpan<bool> allowed, Span<float> probs, float temperature = 1f)
    {
        float factor = CheckTemperature(temperature);
        CheckOutput(logits, probs, nameof(probs), $"[n={logits.Length}]");
        CheckAllowed(allowed, logits.Length, $"[n={logits.Length}]");
        ApplyMask(logits, allowed, probs);
        SoftmaxKernel.Forward(probs, probs, factor);
    }

    /// <summary>logProbs = log(softmax(logits / temperature)) = (x - max)/T - log Σ exp((x_i - max)/T), without underflow to log(0).</summary>
    /// <param name="logits">Scores [n].</param>
    /// <param name="logProbs">Receives log-probabilities [n]; may be <paramref name="logits"/> itself.</param>
    /// <param name="temperature">Positive and finite, with 1/temperature finite too.</param>
    public static void LogSoftmax(ReadOnlySpan<float> logits, Span<float> logProbs, float temperature = 1f)
    {
        float factor = CheckTemperature(temperature);
        CheckOutput(logits, logProbs, nameof(logProbs), $"[n={logits.Length}]");
        SoftmaxKernel.LogForward(logits, logProbs, factor);
    }

    /// <summary>Masked log-softmax: masked entries get -inf.</summary>
    /// <param name="logits">Scores [n].</param>
    /// <param name="allowed">[n], true = keep.</param>
    /// <param name="logProbs">Receives log-probabilities [n]; may be <paramref name="logits"/> itself.</param>
    /// <param name="temperature">Positive and finite, with 1/temperature finite too.</param>
    public static void LogSoftmax(ReadOnlySpan<float> logits, ReadOnlySpan<bool> allowed, Span<float> logProbs, float temperature = 1f)
    {
        float factor = CheckTemperature(temperature);
        CheckOutput(logits, logProbs, nameof(logProbs), $"[n={logits.Length}]");
        CheckAllowed(allowed, logits.Length, $"[n={logits.Length}]");
        ApplyMask(logits, allowed, logProbs);
        SoftmaxKernel.LogForward(logProbs, logProbs, factor);
    }

    /// <summary>Softmax of each row of a row-major [rows, cols] matrix.</summary>
    /// <param name="logits">Scores [rows, cols].</param>
    /// <param name="probs">Receives probabilities [rows, cols]; may be <paramref name="logits"/> itself.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Entries per row (the softmax runs over each row).</param>
    /// <param name="temperature">Positive and finite, with 1/temperature finite too.</param>
    /// <exception cref="ArgumentOutOfRangeException">rows or cols negative, or a bad temperature.</exception>
    /// <exception cref="ArgumentException">A span does not hold rows × cols elements, or the spans partly overlap.</exception>
    public static void ForwardRows(ReadOnlySpan<float> logits, Span<float> probs, int rows, int cols, float temperature = 1f) =>
        Rows(logits, default, probs, rows, cols, temperature, log: false, masked: false);

    /// <summary>Masked softmax of each row; <paramref name="allowed"/> is [rows, cols], true = keep.</summary>
    /// <param name="logits">Scores [rows, cols].</param>
    /// <param name="allowed">[rows, cols], true = keep.</param>
    /// <param name="probs">Receives probabilities [rows, cols]; may be <paramref name="logits"/> itself.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Entries per row (the softmax runs over each row).</param>
    /// <param name="temperature">Positive and finite, with 1/temperature finite too.</param>
    /// <exception cref="ArgumentException">A span does not hold rows × cols elements, or the spans partly overlap.</exception>
    public static void ForwardRows(ReadOnlySpan<float> logits, ReadOnlySpan<bool> allowed, Span<float> probs, int rows, int cols, float temperature = 1f) =>
        Rows(logits, allowed, probs, rows, cols, temperature, log: false, masked: true);

    /// <summary>Log-softmax of each row of a row-major [rows, cols] matrix.</summary>
    /// <param name="logits">Scores [rows, cols].</param>
    /// <param name="logProbs">Receives log-probabilities [rows, cols]; may be <paramref name="logits"/> itself.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Entries per row (the softmax runs over each row).</param>
    /// <param name="temperature">Positive and finite, with 1/temperature finite too.</param>
    /// <exception cref="ArgumentException">A span does not hold rows × cols elements, or the spans partly overlap.</exception>
    public static void LogSoftmaxRows(ReadOnlySpan<float> logits, Span<float> logProbs, int rows, int cols, float temperature = 1f) =>
        Rows(logits, default, logProbs, rows, cols, temperature, log: true, masked: false);

    /// <summary>Masked log-softmax of each row; <paramref name="allowed"/> is [rows, cols], true = keep.</summary>
    /// <param name="logits">Scores [rows, cols].</param>
    /// <param name="allowed">[rows, cols], true = keep.</param>
    /// <param name="logProbs">Receives log-probabilities [rows, cols]; may be <paramref name="logits"/> itself.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Entries per row (the softmax runs over each row).</param>
    /// <param name="temperature">Positive and finite, with 1/temperature finite too.</param>
    /// <exception cref="ArgumentException">A span does not hold rows × cols elements, or the spans partly overlap.</exception>
    public static void LogSoftmaxRows(ReadOnlySpan<float> logits, ReadOnlySpan<bool> allowed, Span<float> logProbs, int rows, int cols, float temperature = 1f) =>
        Rows(logits, allowed, logProbs, rows, cols, temperature, log: true, masked: true);

    private static void Rows(ReadOnlySpan<float> logits, ReadOnlySpan<bool> allowed, Span<float> result, int rows, int cols,
        float temperature, bool log, bool masked)
    {
        float factor = CheckTemperature(temperature);
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "rows cannot be negative.");
        if (cols < 0) throw new ArgumentOutOfRangeException(nameof(cols), cols, "cols cannot be negative.");
        string shape = $"[rows={rows}, cols={cols}]";
        long count = (long)rows * cols;
        if (logits.Length != count)
            throw new ArgumentException($"logits has {logits.Length} elements but shape {shape} needs {count}.", nameof(logits));
        CheckOutput(logits, result, log ? "logProbs" : "probs", shape);
        if (masked) CheckAllowed(allowed, logits.Length, shape);

        for (int r = 0; r < rows; r++)
        {
            var source = logits.Slice(r * cols, cols);   // [cols]
            var row = result.Slice(r * cols, cols);      // [cols]
            if (masked) { ApplyMask(source, allowed.Slice(r * cols, cols), row); source = row; }
            if (log) SoftmaxKernel.LogForward(source, row, factor);
            else SoftmaxKernel.Forward(source, row, factor);
        }
    }

    // result[j] = allowed[j] ? logits[j] : -inf; the softmax then runs in place on result.
    private static void ApplyMask(ReadOnlySpan<float> logits, ReadOnlySpan<bool> allowed, Span<float> result)
    {
        for (int j = 0; j < logits.Length; j++)
            result[j] = allowed[j] ? logits[j] : float.NegativeInfinity;
    }

    private static float CheckTemperature(float temperature)
    {
        float factor = 1f / temperature;
        if (!(temperature > 0f) || !float.IsFinite(temperature) || !float.IsFinite(factor))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature,
                "temperature must be positive and finite, and large enough that 1/temperature is finite (at least about 2.9e-39).");
        return factor;
    }

    private static void CheckOutput(ReadOnlySpan<float> logits, Span<float> output, string name, string shape)
    {
        if (output.Length != logits.Length)
            throw new ArgumentException($"{name} has {output.Length} elements but logits has {logits.Length} (shape {shape}).", name);
        if (logits.Overlaps(output, out int offset) && offset != 0)
            throw new ArgumentException($"{name} partly overlaps logits; pass the same span for in place or separate memory.", name);
    }

    private static void CheckAllowed(ReadOnlySpan<bool> allowed, int expected, string shape)
    {
        if (allowed.Length != expected)
            throw new ArgumentException($"allowed has {allowed.Length} elements but logits has {expected} (shape {shape}).", nameof(allowed));
    }
}
