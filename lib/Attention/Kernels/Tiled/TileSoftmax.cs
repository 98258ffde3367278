using System.Runtime.CompilerServices;
using Attention.Kernels.Simd;

namespace Attention.Kernels.Tiled;

/// <summary>
/// One step of the online softmax (Milakov and Gimelshein 2018; FlashAttention) for the 4 rows of a score tile.
/// Each row keeps a running maximum m and running sums l = Σ 2^(s − m) (one partial sum per vector lane; the lanes are
/// added at the end). A block of base-2 scores s (logit · log2 e) raises m to m' = max(m, max s); what was summed so
/// far is rescaled by α = 2^(m − m'), which the caller applies to its output sums; the block's weights are 2^(s − m').
/// </summary>
[SkipLocalsInit]
internal static unsafe class TileSoftmax
{
    /// <summary>
    /// Turn the scores of keys [0, vectors·W) of the 4 rows into weights, update m and l, and set α.
    /// Keys at or past <paramref name="rowKeys"/>[r] are hidden from row r (causal or padding): they get weight 0.
    /// Returns true when a key a row can see has the score -inf (a boolean or -inf bias mask, or q·k overflowing):
    /// its value row must not be read, so the weights then go to <paramref name="separateWeights"/> and the scores are
    /// kept for the caller to skip those keys. Otherwise the weights overwrite the scores.
    /// </summary>
    /// <param name="scores">[4, stride] base-2 scores.</param>
    /// <param name="stride">Row stride of the scores (and weights).</param>
    /// <param name="vectors">Vectors of keys per row in this block.</param>
    /// <param name="rowKeys">Keys each row can see in this block, 0 … vectors·W.</param>
    /// <param name="allVisible">Every row sees every key of the block (the common case: no tail to hide).</param>
    /// <param name="max">m of the 4 rows.</param>
    /// <param name="sums">l of the 4 rows, [4, W] lane sums.</param>
    /// <param name="rescale">Receives α of the 4 rows.</param>
    /// <param name="separateWeights">[4, stride] where the weights go when a visible score is -inf.</param>
    public static bool Step<TW, TVec>(float* scores, int stride, int vectors, int* rowKeys, bool allVisible,
        float* max, float* sums, float* rescale, float* separateWeights) where TW : IVectorWidth<TVec> where TVec : struct
    {
        int n = TW.Count;
        float* blockMax = stackalloc float[TileShape.Rows];
        bool maskedVisibleKey = false;
        for (int r = 0; r < TileShape.Rows; r++)
        {
            float* row = scores + r * stride;
            if (!allVisible) maskedVisibleKey |= HideBeyond(row, rowKeys[r], vectors * n);
            TVec highest = TW.Load(in row[0]), lowest = highest;
            for (int x = 1; x < vectors; x++)
            {
                TVec s = TW.Load(in row[x * n]);
                highest = TW.Max(highest, s);
                lowest = TW.Min(lowest, s);
            }
            blockMax[r] = TW.MaxAcross(highest);
            if (allVisible) maskedVisibleKey |= TW.MinAcross(lowest) == float.NegativeInfinity;
        }

        float* weights = maskedVisibleKey ? separateWeights : scores;
        for (int r = 0; r < TileShape.Rows; r++)
        {
            float previous = max[r], updated = MathF.Max(previous, blockMax[r]);   // NaN stays NaN: the row is then undefined
            bool nothingYet = updated == float.NegativeInfinity;                   // no visible key so far: sums stay 0
            rescale[r] = nothingYet ? 1f : VectorMath.Exp2<ScalarWidth, float>(previous - updated);  // 0 on a row's first keys
            max[r] = updated;

            TVec shift = TW.Broadcast(nothingYet ? 0f : updated);
            TVec sum = TW.Zero;
            float* row = scores + r * stride, weightRow = weights + r * stride;
            for (int x = 0; x < vectors; x++)
            {
                TVec w = VectorMath.Exp2<TW, TVec>(TW.Subtract(TW.Load(in row[x * n]), shift));   // 2^(s − m'), hidden keys 0
                TW.Store(w, ref weightRow[x * n]);
                sum = TW.Add(sum, w);
            }
            float* lanes = sums + r * n;
            TW.Store(TW.MultiplyAdd(TW.Load(in lanes[0]), TW.Broadcast(rescale[r]), sum), ref lanes[0]);
        }
        return maskedVisibleKey;
    }

    /// <summary>Scores [keys, count) become -inf (hidden); returns whether a score in [0, keys) already is -inf.</summary>
    private static bool HideBeyond(float* row, int keys, int count)
    {
        bool masked = false;
        for (int j = 0; j < keys; j++) masked |= row[j] == float.NegativeInfinity;
        for (int j = keys; j < count; j++) row[j] = float.NegativeInfinity;
        return masked;
    }
}
