using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Attention.Kernels.Simd;

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
    /// Vectorised over the output dimension: each output row is a sum of weight rows scaled by the inputs,
    /// accumulated in the widest accelerated vectors (Vector512/256/128, then scalar for the last columns).
    /// </summary>
    /// <exception cref="ArgumentException">A span's length does not match the sizes (the message names it and the shapes).</exception>
    public static void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> weight, Span<float> y,
        int rows, int inDim, int outDim, ReadOnlySpan<float> bias = default)
    {
        Validate(x.Length, weight.Length, y.Length, bias.Length, rows, inDim, outDim);
        var operands = new Operands(x, weight, y, bias, inDim, outDim);
        int column = 0;
        if (Vector512.IsHardwareAccelerated) ColumnStrips<Width512, Vector512<float>>(operands, rows, ref column);
        if (Vector256.IsHardwareAccelerated) ColumnStrips<Width256, Vector256<float>>(operands, rows, ref column);
        if (Vector128.IsHardwareAccelerated) ColumnStrips<Width128, Vector128<float>>(operands, rows, ref column);
        ColumnStrips<ScalarWidth, float>(operands, rows, ref column);
    }

    /// <summary>
    /// Every row for as many strips of W columns as fit from <paramref name="column"/> on. One strip of the weights,
    /// W[:, column .. column+W), is inDim·W floats (32 KB for inDim 512 and Vector512): it stays in the L1 cache
    /// while all the rows pass over it, so each weight is fetched from memory about once.
    /// </summary>
    private static void ColumnStrips<TW, TVec>(in Operands p, int rows, ref int column) where TW : IVectorWidth<TVec> where TVec : struct
    {
        for (; column + TW.Count <= p.OutDim; column += TW.Count)
        {
            int row = 0;
            for (; row + 4 <= rows; row += 4) Tile<FourRows, TW, TVec>(p, row, column);
            switch (rows - row)
            {
                case 3: Tile<ThreeRows, TW, TVec>(p, row, column); break;
                case 2: Tile<TwoRows, TW, TVec>(p, row, column); break;
                case 1: Tile<OneRow, TW, TVec>(p, row, column); break;
            }
        }
    }

    /// <summary>
    /// y[firstRow .. firstRow+R, column .. column+W) with R ≤ 4 accumulators (one per row) sharing each weight vector
    /// loaded. Compiled once per row count and width, so the row tests are constants and disappear.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile<TRows, TW, TVec>(in Operands p, int firstRow, int column)
        where TRows : struct, IRowCount where TW : IVectorWidth<TVec> where TVec : struct
    {
        int inDim = p.InDim, outDim = p.OutDim;
        ref float x0 = ref Unsafe.Add(ref p.X, firstRow * inDim);                        // x[firstRow, :]
        ref float x1 = ref Unsafe.Add(ref x0, Math.Min(1, TRows.Count - 1) * inDim);    // the next rows, or row 0 again when absent
        ref float x2 = ref Unsafe.Add(ref x0, Math.Min(2, TRows.Count - 1) * inDim);
        ref float x3 = ref Unsafe.Add(ref x0, Math.Min(3, TRows.Count - 1) * inDim);
        ref float w0 = ref Unsafe.Add(ref p.W, column);                                  // W[0, column]
        ref float y0 = ref Unsafe.Add(ref p.Y, firstRow * outDim + column);              // y[firstRow, column]

        TVec init = p.HasBias ? TW.Load(in Unsafe.Add(ref p.B, column)) : TW.Zero;
        TVec acc0 = init, acc1 = init, acc2 = init, acc3 = init;                           // y[row, column .. column+W)
        for (int i = 0; i < inDim; i++)
        {
            TVec w = TW.Load(in Unsafe.Add(ref w0, i * outDim));                           // W[i, column .. column+W)
            acc0 = TW.MultiplyAdd(TW.Broadcast(Unsafe.Add(ref x0, i)), w, acc0);
            if (TRows.Count > 1) acc1 = TW.MultiplyAdd(TW.Broadcast(Unsafe.Add(ref x1, i)), w, acc1);
            if (TRows.Count > 2) acc2 = TW.MultiplyAdd(TW.Broadcast(Unsafe.Add(ref x2, i)), w, acc2);
            if (TRows.Count > 3) acc3 = TW.MultiplyAdd(TW.Broadcast(Unsafe.Add(ref x3, i)), w, acc3);
        }
        TW.Store(acc0, ref y0);
        if (TRows.Count > 1) TW.Store(acc1, ref Unsafe.Add(ref y0, outDim));
        if (TRows.Count > 2) TW.Store(acc2, ref Unsafe.Add(ref y0, 2 * outDim));
        if (TRows.Count > 3) TW.Store(acc3, ref Unsafe.Add(ref y0, 3 * outDim));
    }

    /// <summary>The spans of one call as references, so the generic blocks can be handed them without re-slicing.</summary>
    private readonly ref struct Operands(ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y, ReadOnlySpan<float> b, int inDim, int outDim)
    {
        public readonly ref float X = ref MemoryMarshal.GetReference(x);
        public readonly ref float W = ref MemoryMarshal.GetReference(w);
        public readonly ref float Y = ref MemoryMarshal.GetReference(y);
        public readonly ref float B = ref MemoryMarshal.GetReference(b);   // read only when HasBias
        public readonly bool HasBias = !b.IsEmpty;
        public readonly int InDim = inDim;
        public readonly int OutDim = outDim;
    }

    private interface IRowCount { static abstract int Count { get; } }
    private readonly struct OneRow : IRowCount { public static int Count => 1; }
    private readonly struct TwoRows : IRowCount { public static int Count => 2; }
    private readonly struct ThreeRows : IRowCount { public static int Count => 3; }
    private readonly struct FourRows : IRowCount { public static int Count => 4; }

    private static void Validate(int xLength, int weightLength, int yLength, int biasLength, int rows, int inDim, int outDim)
    {
        string shapes = $"x [{rows}, {inDim}] · weight [{inDim}, {outDim}] → y [{rows}, {outDim}]";
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, $"rows cannot be negative ({shapes}).");
        if (inDim <= 0) throw new ArgumentOutOfRangeException(nameof(inDim), inDim, $"inDim must be positive ({shapes}).");
        if (outDim <= 0) throw new ArgumentOutOfRangeException(nameof(outDim), outDim, $"outDim must be positive ({shapes}).");
        if ((long)rows * inDim != xLength)
            throw new ArgumentException($"x has {xLength} elements, expected rows·inDim = {(long)rows * inDim} ({shapes}).", "x");
        if ((long)inDim * outDim != weightLength)
            throw new ArgumentException($"weight has {weightLength} elements, expected inDim·outDim = {(long)inDim * outDim} ({shapes}).", "weight");
        if ((long)rows * outDim != yLength)
            throw new ArgumentException($"y has {yLength} elements, expected rows·outDim = {(long)rows * outDim} ({shapes}).", "y");
        if (biasLength != 0 && biasLength != outDim)
            throw new ArgumentException($"bias has {biasLength} elements, expected outDim = {outDim} or none ({shapes}).", "bias");
    }
}
