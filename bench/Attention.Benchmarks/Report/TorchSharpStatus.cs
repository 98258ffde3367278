namespace Attention.Benchmarks.Report;

/// <summary>
/// Why TorchSharp is not among the peers. TorchSharp-cpu 0.107.0 (the only version the package source serves) ships
/// libLibTorchSharp.so built against GCC 13's libstdc++ (symbol version GLIBCXX_3.4.32); Debian 12 has GCC 12's (up to
/// 3.4.30), so the native library does not load. The suite checks the machine's libstdc++ rather than assuming it.
/// </summary>
public static class TorchSharpStatus
{
    private const string NeededSymbolVersion = "GLIBCXX_3.4.32";

    private static readonly string[] LibStdCxxPaths =
        ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6"];

    public static string Reason()
    {
        string? path = LibStdCxxPaths.FirstOrDefault(File.Exists);
        if (path is null)
            return "TorchSharp: not benchmarked (no libstdc++.so.6 found to check; the suite does not reference the 1.4 GB TorchSharp-cpu package).";
        bool has = ContainsAscii(File.ReadAllBytes(path), NeededSymbolVersion);
        return has
            ? $"TorchSharp: not benchmarked; this machine's {path} has {NeededSymbolVersion}, so TorchSharp-cpu 0.107.0 could load, but the suite does not reference the 1.4 GB package."
            : $"TorchSharp: not benchmarked; TorchSharp-cpu 0.107.0's libLibTorchSharp.so needs {NeededSymbolVersion} (GCC 13's libstdc++) and this machine's {path} lacks it, so it does not load here.";
    }

    private static bool ContainsAscii(byte[] haystack, string needle)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(needle);
        return haystack.AsSpan().IndexOf(bytes) >= 0;
    }
}
