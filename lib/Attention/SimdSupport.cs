using System.Numerics;
using System.Runtime.Intrinsics;

namespace Attention;

/// <summary>
/// Which vector widths the JIT accelerates in this process. The SIMD and tiled kernels pick the widest of these at
/// run time; environment switches such as <c>DOTNET_EnableAVX512=0</c>, <c>DOTNET_EnableAVX2=0</c> or
/// <c>DOTNET_EnableHWIntrinsic=0</c> narrow the choice (and must be set before the process starts).
/// </summary>
public static class SimdSupport
{
    /// <summary>128-bit vectors (4 floats: SSE, NEON) are hardware accelerated.</summary>
    public static bool Vector128Accelerated => Vector128.IsHardwareAccelerated;

    /// <summary>256-bit vectors (8 floats: AVX2) are hardware accelerated.</summary>
    public static bool Vector256Accelerated => Vector256.IsHardwareAccelerated;

    /// <summary>512-bit vectors (16 floats: AVX-512) are hardware accelerated.</summary>
    public static bool Vector512Accelerated => Vector512.IsHardwareAccelerated;

    /// <summary>Widest accelerated vector in bits (512, 256 or 128), or 0 when the kernels fall back to scalar code.</summary>
    public static int WidestBits =>
        Vector512Accelerated ? 512 : Vector256Accelerated ? 256 : Vector128Accelerated ? 128 : 0;

    /// <summary>Floats per widest accelerated vector (16, 8 or 4), or 1 for scalar code.</summary>
    public static int FloatsPerVector => Math.Max(WidestBits / 32, 1);

    /// <summary>One line for a notebook, e.g. "SIMD: Vector512 (16 floats per op); Vector128 yes, Vector256 yes, Vector512 yes; 2 cores".</summary>
    public static string Describe()
    {
        string widest = WidestBits == 0 ? "none (scalar loops)" : $"Vector{WidestBits} ({FloatsPerVector} floats per op)";
        return $"SIMD: {widest}; Vector128 {YesNo(Vector128Accelerated)}, Vector256 {YesNo(Vector256Accelerated)}, " +
               $"Vector512 {YesNo(Vector512Accelerated)}; Vector<float>.Count = {Vector<float>.Count}; {Environment.ProcessorCount} cores";
    }

    private static string YesNo(bool value) => value ? "yes" : "no";
}
