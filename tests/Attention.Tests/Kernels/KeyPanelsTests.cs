using System.Runtime.Intrinsics;
using Attention.Kernels.Simd;
using Attention.Kernels.Tiled;

namespace Attention.Tests.Kernels;

/// <summary>
/// <see cref="KeyPanels.PackHead{TW, TVec}"/> for every width this process accelerates (the CI runs it under all four
/// SIMD settings, so each transposing path, 16 × 16, 4 × 4 and scalar, is taken): every key lands at
/// panel[p, d, j] = k[g, p·panelKeys + j, d], the keys past the last one are zero up to the end of its vector, and
/// nothing is written past the head's panels. The kernel tests see a packing error only through the outputs; this one
/// names the key, dimension and path.
/// </summary>
public unsafe class KeyPanelsTests
{
    private static List<(string Name, int PanelKeys, int Lanes, PackFunction Pack)> Widths()
    {
        var widths = new List<(string, int, int, PackFunction)>();
        if (Vector512.IsHardwareAccelerated) widths.Add(("Vector512", TileShape.PanelKeys<Width512, Vector512<float>>(), Width512.Count, KeyPanels.PackHead<Width512, Vector512<float>>));
        if (Vector256.IsHardwareAccelerated) widths.Add(("Vector256", TileShape.PanelKeys<Width256, Vector256<float>>(), Width256.Count, KeyPanels.PackHead<Width256, Vector256<float>>));
        if (Vector128.IsHardwareAccelerated) widths.Add(("Vector128", TileShape.PanelKeys<Width128, Vector128<float>>(), Width128.Count, KeyPanels.PackHead<Width128, Vector128<float>>));
        widths.Add(("scalar", TileShape.PanelKeys<ScalarWidth, float>(), ScalarWidth.Count, KeyPanels.PackHead<ScalarWidth, float>));
        return widths;
    }

    private delegate void PackFunction(float* k, in AttentionShape shape, int g, float* packed);

    public static TheoryData<int, int> Shapes()
    {
        // Key counts around every width's vector (4, 8, 16) and panel (8, 16, 64), and d_k with and without a whole
        // number of 16- and 4-dimension blocks.
        var data = new TheoryData<int, int>();
        foreach (int keys in new[] { 1, 3, 4, 5, 15, 16, 17, 31, 33, 63, 64, 65, 100, 257 })
            foreach (int dim in new[] { 1, 3, 4, 12, 16, 20, 48, 64, 128 })
                data.Add(keys, dim);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryKeyLandsInItsPanelPlace(int keyLength, int headDim)
    {
        const int kvHeads = 2, head = 1;                                    // the second head: its offset into k counts
        var shape = new AttentionShape(heads: kvHeads, queryLength: 1, keyLength: keyLength, headDim: headDim, kvHeads: kvHeads);
        // Every key's every dimension a distinct value, so a float in the wrong place is never right by chance.
        float[] k = Enumerable.Range(0, kvHeads * keyLength * headDim).Select(i => i + 1f).ToArray();
        foreach (var (name, panelKeys, lanes, pack) in Widths())
        {
            int panels = (keyLength + panelKeys - 1) / panelKeys, floats = panels * headDim * panelKeys;
            const int guard = 64;
            float[] packed = Enumerable.Repeat(float.NaN, floats + guard).ToArray();
            fixed (float* kp = k, pp = packed) pack(kp, shape, head, pp);

            for (int p = 0; p < panels; p++)
            {
                int first = p * panelKeys, keys = Math.Min(panelKeys, keyLength - first);
                int computed = (keys + lanes - 1) / lanes * lanes;          // the tile reads whole vectors
                for (int d = 0; d < headDim; d++)
                    for (int j = 0; j < computed; j++)
                    {
                        float expected = j < keys ? k[((long)head * keyLength + first + j) * headDim + d] : 0f;
                        float actual = packed[(p * headDim + d) * panelKeys + j];
                        Assert.True(actual.Equals(expected),
                            $"{name}, n_k = {keyLength}, d_k = {headDim}: panel {p}, dimension {d}, key {j} holds {actual}, expected {expected} " +
                            (j < keys ? $"(k[{head}, {first + j}, {d}])" : "(zero past the last key, up to the end of its vector)"));
                    }
            }
            for (int i = floats; i < floats + guard; i++)
                Assert.True(float.IsNaN(packed[i]), $"{name}, n_k = {keyLength}, d_k = {headDim}: float {i - floats} past the head's {floats} was written");
        }
    }
}
