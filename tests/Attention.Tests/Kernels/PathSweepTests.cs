using Attention.Tests.TestSupport;

namespace Attention.Tests.Kernels;

/// <summary>
/// Every path (Reference, Simd, Tiled, Auto; with and without weights) against float64, with tolerances derived from
/// the float32 Reference path's own error (see <see cref="AttentionCase.AssertPathsMatchFloat64"/>).
/// </summary>
public class PathSweepTests
{
    /// <summary>
    /// Sequence lengths 0..257 as n_q and n_k. Each mask kind takes the self-attention lengths n with n + kind ≡ 0 (mod 5):
    /// as 5 is prime to 16 these hit every remainder of every vector width for every kind, and the ten kinds together
    /// cover every length twice; the cross-attention cases (n_q ≠ n_k) add lengths of the other residues.
    /// Small head dimensions keep this fast; <see cref="HeadDimensionGridMatchesFloat64"/> covers large ones.
    /// </summary>
    [Theory]
    [MemberData(nameof(Masks.AllKinds), MemberType = typeof(Masks))]
    public void EveryLengthMatchesFloat64(MaskKind kind)
    {
        for (int n = 0; n <= 257; n++)
        {
            if ((n + (int)kind) % 5 != 0) continue;
            int heads = 1 + n % 3, kvHeads = n % 2 == 0 ? heads : 1;                 // multi-query (kvHeads = 1) on odd n
            var self = new AttentionShape(heads, n, n, headDim: 3, valueDim: 5, kvHeads: kvHeads);
            Check(self, kind, seed: n);

            int otherLength = (n * 37 + 11 * (int)kind) % 258;             // cross-attention: n_q != n_k
            var cross = new AttentionShape(1, n, otherLength, headDim: 4, valueDim: 2);
            Check(cross, kind, seed: n + 1000);
            var crossSwapped = new AttentionShape(2, otherLength, n, headDim: 2, valueDim: 3, kvHeads: 1);
            Check(crossSwapped, kind, seed: n + 2000);
        }
    }

    /// <summary>Head dimensions 1..128 (d_v differing too), heads 1..12, GQA and MQA, at lengths around the block sizes.</summary>
    [Theory]
    [MemberData(nameof(Masks.AllKinds), MemberType = typeof(Masks))]
    public void HeadDimensionGridMatchesFloat64(MaskKind kind)
    {
        int[] headDims = [1, 3, 8, 16, 31, 64, 128];
        (int NQ, int NK)[] lengths = [(1, 1), (1, 70), (7, 19), (33, 64), (64, 65), (130, 129)];
        (int Heads, int KvHeads)[] headConfigs = [(1, 1), (3, 3), (12, 4), (8, 1), (6, 2)];
        int index = 0;
        foreach (int dK in headDims)
            foreach (var (nQ, nK) in lengths)
            {
                var (heads, kvHeads) = headConfigs[(index++ + (int)kind) % headConfigs.Length];
                if ((double)heads * nQ * nK * dK > 3e6) (heads, kvHeads) = (2, 1);   // keep the big cases quick
                int dV = index % 2 == 0 ? dK : 7;
                Check(new AttentionShape(heads, nQ, nK, dK, dV, kvHeads), kind, seed: index);
            }
    }

    private static void Check(AttentionShape shape, MaskKind kind, int seed)
    {
        var options = new AttentionOptions { Mask = Masks.Make(kind, shape, seed) };
        var c = new AttentionCase(shape, options, seed, amplitude: 2f, name: $"[{shape}; {kind}; seed {seed}]");
        c.AssertPathsMatchFloat64(AttentionCase.AllPaths);
    }
}
