using System.Runtime.Intrinsics;
using Attention.Kernels.Simd;

namespace Attention.Tests.TestSupport;

/// <summary>
/// A lane-wise operator applied by each accelerated vector width alone, and by the scalar form (the drivers' tails), so
/// a test checks every width's code on this machine: the widths the runtime switches turn off run in CI's other passes.
/// </summary>
internal static class EveryWidth
{
    public static IEnumerable<(string Name, Func<float[], float[]> Apply)> Of<TOp>() where TOp : struct, IMapOperator
    {
        if (Vector512.IsHardwareAccelerated) yield return ("Vector512", Apply<TOp, Width512, Vector512<float>>);
        if (Vector256.IsHardwareAccelerated) yield return ("Vector256", Apply<TOp, Width256, Vector256<float>>);
        if (Vector128.IsHardwareAccelerated) yield return ("Vector128", Apply<TOp, Width128, Vector128<float>>);
        yield return ("scalar", Apply<TOp, ScalarWidth, float>);
    }

    /// <summary>Whole vectors of one width (the last one padded by repeating the last input).</summary>
    private static float[] Apply<TOp, TW, TVec>(float[] x) where TOp : struct, IMapOperator where TW : IVectorWidth<TVec> where TVec : struct
    {
        var y = new float[x.Length];
        var lanes = new float[TW.Count];
        var result = new float[TW.Count];
        for (int i = 0; i < x.Length; i += TW.Count)
        {
            for (int j = 0; j < TW.Count; j++) lanes[j] = x[Math.Min(i + j, x.Length - 1)];
            TW.Store(default(TOp).Invoke<TW, TVec>(TW.Load(ref lanes[0])), ref result[0]);
            for (int j = 0; j < TW.Count && i + j < x.Length; j++) y[i + j] = result[j];
        }
        return y;
    }
}
