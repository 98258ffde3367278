namespace Attention;

/// <summary>
/// A dense (fully connected) layer on row-major spans: y = x·W + b, with W stored [in, out] so that
/// Q = X·W_Q reads like the math. This is the projection kernel of <see cref="MultiHeadAttention"/>. For a layer
/// whose weights stay fixed, pack W once (<see cref="PackedLinearWeight"/>) and pass that instead of the array.
/// </summary>
public static class Linear
{
    /// <summary>
    /// y [rows, outDim] = x [rows, inDim] · weight [inDim, outDim] + bias [outDim].
    /// <paramref name="bias"/> may be empty (no bias). Allocation-free; <paramref name="y"/> must not overlap the inputs.
    /// Computed by <see cref="Projection"/>: register tiles of 6 rows × 64 columns (24 Vector512 sums, fused multiply-adds),
    /// each 64-column panel of W copied to a contiguous block (thread-local, kept across calls) and read from cache by up
    /// to 128 rows in turn (read in place when at most 24 rows use it), split over up to <paramref name="maxThreads"/> threads by (64-column panel × 128-row block). Every
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
        Validate(x.Length, weight.Length, y.Length, bias.Length, rows, inDim, outDim, maxThreads);
        fixed (float* wp = weight) Multiply(x, wp, packed: null, y, rows, inDim, outDim, bias, maxThreads);
    }

    /// <summary>
    /// y [rows, outDim] = x [rows, inDim] · W + bias [outDim], with W packed once (<see cref="PackedLinearWeight"/>):
    /// the same kernel, threads and summation order as the call on the array, so the results are bit-identical; only
    /// the per-call copy of W's panels (or, for a few rows, the strided reads of W) is gone.
    /// </summary>
    /// <param name="x">Inputs [rows, weight.InDim].</param>
    /// <param name="weight">W, packed.</param>
    /// <param name="y">Receives the outputs [rows, weight.OutDim].</param>
    /// <param name="rows">Number of input rows (0 is allowed).</param>
    /// <param name="bias">b [outDim], or empty for none.</param>
    /// <param name="maxThreads">Threads to use; null means all cores.</param>
    /// <exception cref="ArgumentException">A span's length does not match the sizes (the message names it and the shapes).</exception>
    /// <exception cref="ArgumentOutOfRangeException">rows is negative, or maxThreads is below 1.</exception>
    public static unsafe void Forward(
        ReadOnlySpan<float> x, PackedLinearWeight weight, Span<float> y, int rows, ReadOnlySpan<float> bias = default, int? maxThreads = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        int inDim = weight.InDim, outDim = weight.OutDim;
        Validate(x.Length, inDim * outDim, y.Length, bias.Length, rows, inDim, outDim, maxThreads);
        Multiply(x, weight: null, weight.Panels.Panels, y, rows, inDim, outDim, bias, maxThreads);
        GC.KeepAlive(weight);                                       // its native panels were read through a pointer
    }

    /// <summary>One <see cref="Projection"/> over row-major x and y, W read from its array or from its packed panels.</summary>
    private static unsafe void Multiply(ReadOnlySpan<float> x, float* weight, float* packed, Span<float> y,
        int rows, int inDim, int outDim, ReadOnlySpan<float> bias, int? maxThreads)
    {
        if (rows == 0) return;
        fixed (float* xp = x, yp = y, bp = bias)
        {
            var product = new Projection(xp, MatrixLayout.RowMajor(inDim), weight, bias.IsEmpty ? null : bp, yp, MatrixLayout.RowMajor(outDim),
                rows, inDim, outDim, packed);
            new ProjectionSet(product).Run(maxThreads);
        }
    }

    private static void Validate(int xLength, int weightLength, int yLength, int biasLength, int rows, int inDim, int outDim, int? maxThreads)
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
        if (maxThreads is int t && t < 1)
            throw new ArgumentOutOfRangeException(nameof(maxThreads), t, "maxThreads must be at least 1 (or null for all cores).");
    }
}
