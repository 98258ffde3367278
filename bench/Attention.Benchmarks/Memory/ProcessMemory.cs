namespace Attention.Benchmarks.Memory;

/// <summary>
/// Resident memory of this process from /proc/self/status (Linux). The peak (VmHWM) can be reset to the current
/// resident size by writing 5 to /proc/self/clear_refs, so "peak during one call − resident before it" is the memory
/// the call touched beyond what was already there: managed and native (ONNX Runtime's arena) alike.
/// </summary>
public static class ProcessMemory
{
    public static bool Available => File.Exists("/proc/self/status") && File.Exists("/proc/self/clear_refs");

    /// <summary>Current resident set, bytes.</summary>
    public static long Resident => ReadKilobytes("VmRSS:") * 1024;

    /// <summary>Peak resident set since start or the last <see cref="ResetPeak"/>, bytes.</summary>
    public static long Peak => ReadKilobytes("VmHWM:") * 1024;

    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    private static long ReadKilobytes(string key)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0]);
        throw new InvalidOperationException($"/proc/self/status has no {key} line.");
    }
}
