using System.Globalization;
using System.Runtime.InteropServices;
using Attention.Benchmarks.Peak;

namespace Attention.Benchmarks.Report;

/// <summary>Where and when the numbers were taken: the report's header.</summary>
public sealed class RunInfo
{
    public RunInfo(bool quick)
    {
        Quick = quick;
        Started = DateTime.UtcNow;
        LoadAtStart = LoadAverage();
        CoresAtStart = CoreToCore.RoundTripNanoseconds();
    }

    public bool Quick { get; }
    public DateTime Started { get; }
    public DateTime Finished { get; private set; }
    public string LoadAtStart { get; }
    public string LoadAtEnd { get; private set; } = "";

    /// <summary>Core-to-core round trip (ns) at the start and the end (<see cref="CoreToCore"/>).</summary>
    public double? CoresAtStart { get; }
    public double? CoresAtEnd { get; private set; }

    public void Finish()
    {
        Finished = DateTime.UtcNow;
        LoadAtEnd = LoadAverage();
        CoresAtEnd = CoreToCore.RoundTripNanoseconds();
    }

    public static string Cpu()
    {
        try
        {
            string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>1, 5 and 15 minute load averages (runnable threads; 2 means both cores busy on this machine).</summary>
    public static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]} / {parts[1]} / {parts[2]}";
        }
        catch (IOException) { return "unknown"; }
    }

    public static string OnnxRuntimeVersion() =>
        typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version?.ToString(3) ?? "?";

    public IEnumerable<string> Lines()
    {
        yield return $"- Date: {Started.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} to {Finished.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC, mode: {(Quick ? "--quick (short iterations, few shapes)" : "full")}";
        yield return $"- Machine: {Cpu()}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
        yield return $"- {SimdSupport.Describe()}";
        yield return $"- Load average (1/5/15 min) at start {LoadAtStart}, at end {LoadAtEnd}: above ~0.5 other processes shared the cores and the numbers are noisy.";
        yield return $"- Core-to-core round trip of a cache line: {CoreToCore.Describe(CoresAtStart)} at the start, {CoreToCore.Describe(CoresAtEnd)} at the end. " +
            "This VM places its two vCPUs close (~115 ns) or far apart (~450 ns) for seconds at a time; two-thread calls of a few microseconds " +
            "pay for every cache line that crosses, so their rows depend on the placement while they ran (the library runs such calls alone while that is measured faster).";
        yield return $"- Peers: ONNX Runtime {OnnxRuntimeVersion()} (CPU), inputs and outputs bound once to pinned arrays (OrtIoBinding), intra-op threads = the thread count. {TorchSharpStatus.Reason()}";
    }
}
