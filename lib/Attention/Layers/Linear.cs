namespace Attention;

/// <summary>
/// A dense (fully connected) layer on row-major spans: y = x·W + b, with W stored [in, out] so that
/// Q = X·W_Q reads like the math. This is the projection kernel of <see cref="MultiHeadAttention"/>.
/// </summary>
public static class Linear
{
    /// <summary>
    /// y [rows, outDim] = x [rows, inDim] · weight [inDim, outDim] + bias [outDim].
    /// <paramref name="bias"/> may be empty (no bias). Allocation-free; <paramref name="y"/> must not overlap the inputs.
    /// Computed by <see cref="Projection"/>: register tiles of 6 rows × 64 columns (24 Vector512 sums, fused multiply-adds),
    /// each 64-column panel of W copied to a contiguous block (thread-local, kept across calls) and read from cache by 128
    /// rows in turn, split over up to <paramref name="maxThreads"/> threads by (64-column panel × 128-row block). Every
    /// output element is summed in the same order whatever the thread count, so the result does not depend on it.
    /// </summary>
    /// <param name="x">Inputs [rows, inDim].</param>
    /// <param name="weight">W [inDim, outDim].</param>
    /// <param name="y">Receives the outputs [rows, outDim].</param>
    /// <param name="rows">Number of input rows (0 is allowed).</param>
    /// <param name="inDim">Width of x.</param>
    /// <param name="outDim">Width of y.</param>
    /// <param name="bias">b [outDim], or empty for none.</param>
    /// <param name="maxThreads">Threads to use; null means all cores.</param>
    /// <exception cref="ArgumentException">A span's length does not match the sizes (the message names it and the shapes).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or zero, or maxThreads is below 1.</exception>
    public static unsafe void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> weight, Span<float> y,
        int rows, int inDim, int outDim, ReadOnlySpan<float> bias = default, int? maxThreads = null)
    {
        Validate(x.Length, weight.Length, y.Length, bias.Length, rows, inDim, outDim);
        if (maxThreads is int t && t < 1)
            throw new ArgumentOutOfRangeException(nameof(maxThreads), t, "maxThreads must be at least 1 (or null for all cores).");
        if (rows == 0) return;
        fixed (float* xp = x, wp = weight, yp = y, bp = bias)
        {
            var product = new Projection(xp, MatrixLayout.RowMajor(inDim), wp, bias.IsEmpty ? null : bp, yp, MatrixLayout.RowMajor(outDim), rows, inDim, outDim);
            new ProjectionSet(product).Run(maxThreads);
        }
    }

    private static void Validate(int xLength, int weightLength, int yLength, int biasLength, int rows, int inDim, int outDim)
    {
        // The message is built only when a check fails: a valid call allocates nothing.
        string Shapes() => $"x [{rows}, {inDim}] · weight [{inDim}, {outDim}] → y [{rows}, {outDim}]";
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, $"rows cannot be negative ({Shapes()}).");
        if (inDim <= 0) throw new ArgumentOutOfRangeException(nameof(inDim), inDim, $"inDim must be positive ({Shapes()}).");
        if (outDim <= 0) throw new ArgumentOutOfRangeException(nameof(outDim), outDim, $"outDim must be positive ({Shapes()}).");
        if ((long)rows * inDim != xLength)
            throw new ArgumentException($"x has {xLength} elements, expected rows·inDim = {(long)rows * inDim} ({Shapes()}).", "x");
        if ((long)inDim * outDim != weightLength)
            throw new ArgumentException($"weight has {weightLength} elements, expected inDim·outDim = {(long)inDim * outDim} ({Shapes()}).", "weight");
        if ((long)rows * outDim != yLength)
            throw new ArgumentException($"y has {yLength} elements, expected rows·outDim = {(long)rows * outDim} ({Shapes()}).", "y");
        if (biasLength != 0 && biasLength != outDim)
            throw new ArgumentException($"bias has {biasLength} elements, expected outDim = {outDim} or none ({Shapes()}).", "bias");
    }
}
