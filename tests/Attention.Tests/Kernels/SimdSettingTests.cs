using System.Runtime.Intrinsics;
using Xunit.Abstractions;

namespace Attention.Tests.Kernels;

/// <summary>
/// CI runs the suite four times: plain (Vector512 here), DOTNET_EnableAVX512=0 (256), DOTNET_EnableAVX2=0 (128) and
/// DOTNET_EnableHWIntrinsic=0 (none), each with ATTENTION_EXPECTED_SIMD set to match. This test proves the switch took
/// effect, so the other tests really exercised that width.
/// </summary>
public class SimdSettingTests(ITestOutputHelper log)
{
    [Fact]
    public void AcceleratedWidthsMatchTheExpectedSetting()
    {
        string? declared = Environment.GetEnvironmentVariable("ATTENTION_EXPECTED_SIMD");
        string reason = "ATTENTION_EXPECTED_SIMD";
        string expected = declared ?? ExpectedFromRuntimeSwitches(out reason);
        string seen = $"Vector128={Vector128.IsHardwareAccelerated}, Vector256={Vector256.IsHardwareAccelerated}, Vector512={Vector512.IsHardwareAccelerated}";
        log.WriteLine($"ATTENTION_EXPECTED_SIMD={declared ?? "(unset)"}; expecting {expected}; saw {seen}; {SimdSupport.Describe()}");
        log.WriteLine($"expectation from: {reason}");

        (bool v128, bool v256, bool v512, int bits) = expected switch
        {
            "512" => (true, true, true, 512),
            "256" => (true, true, false, 256),
            "128" => (true, false, false, 128),
            "none" => (false, false, false, 0),
            _ => throw new InvalidOperationException($"ATTENTION_EXPECTED_SIMD must be 512, 256, 128 or none, not '{expected}'."),
        };
        Assert.True(v128 == Vector128.IsHardwareAccelerated && v256 == Vector256.IsHardwareAccelerated && v512 == Vector512.IsHardwareAccelerated,
            $"expected {expected}, saw {seen}");
        Assert.Equal(bits, SimdSupport.WidestBits);
    }

    /// <summary>
    /// Without ATTENTION_EXPECTED_SIMD: the widest width the CPU offers (from /proc/cpuinfo where it exists, else 512 as
    /// on the course machines), narrowed by the DOTNET_Enable* switches present in the environment.
    /// </summary>
    private static string ExpectedFromRuntimeSwitches(out string reason)
    {
        static bool Off(string name) =>
            (Environment.GetEnvironmentVariable("DOTNET_" + name) ?? Environment.GetEnvironmentVariable("COMPlus_" + name)) == "0";
        int bits = HardwareBits(out reason);
        if (Off("EnableHWIntrinsic")) { bits = 0; reason += "; DOTNET_EnableHWIntrinsic=0"; }
        if (Off("EnableAVX2")) { bits = Math.Min(bits, 128); reason += "; DOTNET_EnableAVX2=0"; }
        if (Off("EnableAVX512") || Off("EnableAVX512F")) { bits = Math.Min(bits, 256); reason += "; DOTNET_EnableAVX512=0"; }
        if (Environment.GetEnvironmentVariable("DOTNET_PreferredVectorBitWidth") is "256" or "128")
        {
            bits = Math.Min(bits, 256);
            reason += "; DOTNET_PreferredVectorBitWidth";
        }
        return bits == 0 ? "none" : bits.ToString();
    }

    private static int HardwareBits(out string reason)
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo)) { reason = "no /proc/cpuinfo: assuming an AVX-512 machine"; return 512; }
        var flags = File.ReadLines(cpuinfo).FirstOrDefault(line => line.StartsWith("flags") || line.StartsWith("Features"))?
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet() ?? [];
        reason = "/proc/cpuinfo flags";
        if (flags.Contains("avx512f")) return 512;
        if (flags.Contains("avx2")) return 256;
        if (flags.Contains("sse4_2") || flags.Contains("asimd")) return 128;
        return 0;
    }
}
