using System.Runtime.Intrinsics;
using Attention.Kernels.Simd;

namespace Attention.Kernels.Tiled;

/// <summary>
/// The P·V register tile: for 4 query rows, o[r, :] = α_r · o[r, :] + Σ_j p[r, j] · v[j, :]. The output columns are
/// walked in chunks of one register tile (4 Vector512 = 64 columns), then single vectors, then narrower widths down to
/// scalars, so any d_v works without padding. Each key loads one chunk of its value row and broadcasts one weight per
/// query row: 16 fused multiply-adds per 4 loads and 4 broadcasts. The rescale α of the online softmax is applied as
/// the sums are loaded, so it costs no extra pass over the output.
/// </summary>
internal static unsafe class ValueTile
{
    /// <summary>Add keys [0, <paramref name="keys"/>) of one block to the 4 output rows.</summary>
    /// <param name="probs">Weights [4, probsStride] (unnormalised, 2^(s − m)).</param>
    /// <param name="probsStride">Row stride of <paramref name="probs"/>.</param>
    /// <param name="values">Value rows of the block [keys, d_v].</param>
    /// <param name="dV">d_v, also the row stride of <paramref name="values"/> and <paramref name="output"/>.</param>
    /// <param name="keys">Keys to add.</param>
    /// <param name="output">Running sums [4, d_v].</param>
    /// <param name="rescale">α for each of the 4 rows.</param>
    public static void Accumulate(float* probs, int probsStride, float* values, int dV, int keys, float* output, float* rescale)
    {
        var tile = new Operands(probs, probsStride, values, dV, keys, output, rescale);
        int column = 0;
        if (Vector512.IsHardwareAccelerated) column = Columns<Width512, Vector512<float>, FourVectors>(tile, column);
        if (Vector256.IsHardwareAccelerated) column = Columns<Width256, Vector256<float>, TwoVectors>(tile, column);
        if (Vector128.IsHardwareAccelerated) column = Columns<Width128, Vector128<float>, TwoVectors>(tile, column);
        Columns<ScalarWidth, float, TwoVectors>(tile, column);
    }

    /// <summary>Every column from <paramref name="column"/> on that this width can take: whole chunks, then single vectors.</summary>
    private static int Columns<TW, TVec, TChunk>(in Operands tile, int column)
        where TW : IVectorWidth<TVec> where TVec : struct where TChunk : struct, IChunk
    {
        for (; column + TChunk.Vectors * TW.Count <= tile.DV; column += TChunk.Vectors * TW.Count)
            Chunk<TW, TVec, TChunk>(tile, column);
        for (; column + TW.Count <= tile.DV; column += TW.Count)
            Chunk<TW, TVec, OneVector>(tile, column);
        return column;
    }

    /// <summary>Columns [column, column + vectors·W) of the 4 rows, sums in registers across all keys.</summary>
    private static void Chunk<TW, TVec, TChunk>(in Operands tile, int column)
        where TW : IVectorWidth<TVec> where TVec : struct where TChunk : struct, IChunk
    {
        int n = TW.Count, dV = tile.DV, stride = tile.ProbsStride;
        int vectors = TChunk.Vectors;                                  // JIT-time constant: unused sums disappear
        float* o0 = tile.Output + column, o1 = o0 + dV, o2 = o1 + dV, o3 = o2 + dV;
        TVec a0 = TW.Broadcast(tile.Rescale[0]), a1 = TW.Broadcast(tile.Rescale[1]);
        TVec a2 = TW.Broadcast(tile.Rescale[2]), a3 = TW.Broadcast(tile.Rescale[3]);
        TVec s00 = Scaled<TW, TVec>(o0, 0, vectors, a0), s01 = Scaled<TW, TVec>(o0, 1, vectors, a0);
        TVec s02 = Scaled<TW, TVec>(o0, 2, vectors, a0), s03 = Scaled<TW, TVec>(o0, 3, vectors, a0);
        TVec s10 = Scaled<TW, TVec>(o1, 0, vectors, a1), s11 = Scaled<TW, TVec>(o1, 1, vectors, a1);
        TVec s12 = Scaled<TW, TVec>(o1, 2, vectors, a1), s13 = Scaled<TW, TVec>(o1, 3, vectors, a1);
        TVec s20 = Scaled<TW, TVec>(o2, 0, vectors, a2), s21 = Scaled<TW, TVec>(o2, 1, vectors, a2);
        TVec s22 = Scaled<TW, TVec>(o2, 2, vectors, a2), s23 = Scaled<TW, TVec>(o2, 3, vectors, a2);
        TVec s30 = Scaled<TW, TVec>(o3, 0, vectors, a3), s31 = Scaled<TW, TVec>(o3, 1, vectors, a3);
        TVec s32 = Scaled<TW, TVec>(o3, 2, vectors, a3), s33 = Scaled<TW, TVec>(o3, 3, vectors, a3);

        float* p = tile.Probs;
        float* v = tile.Values + column;
        for (int j = 0; j < tile.Keys; j++, v += dV)
        {
            TVec v0 = TW.Load(in v[0]);                                 // v[j, column ..]
            TVec v1 = vectors > 1 ? TW.Load(in v[n]) : TW.Zero;
            TVec v2 = vectors > 2 ? TW.Load(in v[2 * n]) : TW.Zero;
            TVec v3 = vectors > 3 ? TW.Load(in v[3 * n]) : TW.Zero;
            TVec w = TW.Broadcast(p[j]);
            s00 = TW.MultiplyAdd(w, v0, s00);
            if (vectors > 1) s01 = TW.MultiplyAdd(w, v1, s01);
            if (vectors > 2) { s02 = TW.MultiplyAdd(w, v2, s02); s03 = TW.MultiplyAdd(w, v3, s03); }
            w = TW.Broadcast(p[stride + j]);
            s10 = TW.MultiplyAdd(w, v0, s10);
            if (vectors > 1) s11 = TW.MultiplyAdd(w, v1, s11);
            if (vectors > 2) { s12 = TW.MultiplyAdd(w, v2, s12); s13 = TW.MultiplyAdd(w, v3, s13); }
            w = TW.Broadcast(p[2 * stride + j]);
            s20 = TW.MultiplyAdd(w, v0, s20);
            if (vectors > 1) s21 = TW.MultiplyAdd(w, v1, s21);
            if (vectors > 2) { s22 = TW.MultiplyAdd(w, v2, s22); s23 = TW.MultiplyAdd(w, v3, s23); }
            w = TW.Broadcast(p[3 * stride + j]);
            s30 = TW.MultiplyAdd(w, v0, s30);
            if (vectors > 1) s31 = TW.MultiplyAdd(w, v1, s31);
            if (vectors > 2) { s32 = TW.MultiplyAdd(w, v2, s32); s33 = TW.MultiplyAdd(w, v3, s33); }
        }
        StoreRow<TW, TVec>(o0, vectors, s00, s01, s02, s03);
        StoreRow<TW, TVec>(o1, vectors, s10, s11, s12, s13);
        StoreRow<TW, TVec>(o2, vectors, s20, s21, s22, s23);
        StoreRow<TW, TVec>(o3, vectors, s30, s31, s32, s33);
    }

    /// <summary>α · row[index·W ..] if the chunk has that vector, else zero (never read).</summary>
    private static TVec Scaled<TW, TVec>(float* row, int index, int vectors, TVec rescale) where TW : IVectorWidth<TVec> where TVec : struct =>
        index < vectors ? TW.Multiply(TW.Load(in row[index * TW.Count]), rescale) : TW.Zero;

    private static void StoreRow<TW, TVec>(float* row, int vectors, TVec a, TVec b, TVec c, TVec d) where TW : IVectorWidth<TVec> where TVec : struct
    {
        int n = TW.Count;
        TW.Store(a, ref row[0]);
        if (vectors > 1) TW.Store(b, ref row[n]);
        if (vectors > 2) { TW.Store(c, ref row[2 * n]); TW.Store(d, ref row[3 * n]); }
    }

    /// <summary>The arguments of one <see cref="Accumulate"/> call, passed by reference to the column loops.</summary>
    private readonly struct Operands(float* probs, int probsStride, float* values, int dV, int keys, float* output, float* rescale)
    {
        public readonly float* Probs = probs;
        public readonly int ProbsStride = probsStride;
        public readonly float* Values = values;
        public readonly int DV = dV;
        public readonly int Keys = keys;
        public readonly float* Output = output;
        public readonly float* Rescale = rescale;
    }

    /// <summary>Vectors per row in one column chunk (a type, so each count compiles to its own straight-line loop).</summary>
    private interface IChunk { static abstract int Vectors { get; } }
    private readonly struct OneVector : IChunk { public static int Vectors => 1; }
    private readonly struct TwoVectors : IChunk { public static int Vectors => 2; }
    private readonly struct FourVectors : IChunk { public static int Vectors => 4; }
}
