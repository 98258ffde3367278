using Attention.Kernels;

namespace Attention;

/// <summary>
/// A copy of W [inDim, outDim] in the projection kernel's layout: one contiguous [inDim, ≤64] block per column panel
/// (<see cref="Projection"/>), so a projection reads it as a single stream instead of copying each panel out of W's
/// rows on every call. A snapshot: edits to W after packing are not in it. ONNX Runtime does the same to constant
/// weights when it creates a session.
/// </summary>
internal sealed unsafe class PackedWeight
{
    private readonly AlignedBuffer _panels = new();

    /// <param name="weight">W, row-major [inDim, outDim].</param>
    /// <param name="inDim">Rows of W.</param>
    /// <param name="outDim">Columns of W.</param>
    /// <param name="blockWidth">Width of the output's blocks (d_head for a per-head output, outDim for row-major).</param>
    public PackedWeight(ReadOnlySpan<float> weight, int inDim, int outDim, int blockWidth)
    {
        int panels = Projection.PanelCount(outDim, blockWidth);
        float* destination = _panels.Ensure((long)panels * inDim * Projection.PanelColumns);
        fixed (float* w = weight)
            for (int panel = 0; panel < panels; panel++)
            {
                var (first, width) = Projection.PanelColumnsOf(panel, blockWidth);
                Projection.CopyPanel(w, inDim, outDim, first, width, destination + (long)panel * inDim * Projection.PanelColumns);
            }
        Panels = destination;
    }

    /// <summary>The first panel; panel p starts p·inDim·64 floats later. Valid while this object is alive.</summary>
    public float* Panels { get; }
}
