using System.Diagnostics;
using System.Globalization;
using Attention.Benchmarks.Cases;
using Attention.Benchmarks.Runners;

namespace Attention.Benchmarks.Memory;

/// <summary>Extra memory of one call: what its first call touches beyond inputs and outputs, and what a second call adds.</summary>
public sealed record MemoryResult(KernelCase Case, long FirstCallBytes, long SteadyCallBytes, long ManagedFirstCallBytes, string? Error = null);

/// <summary>
/// Measures extra memory in a fresh child process per case (<c>--memory-probe</c>), so pools and arenas warmed by
/// other benchmarks do not hide it: inputs and the output are allocated and touched, the path is JIT-compiled on a
/// small case, the peak is reset, then one call runs. Cases that cannot run (n too large for the impl) are skipped.
/// </summary>
public static class MemoryProbe
{
    public const string Argument = "--memory-probe";

    public static IEnumerable<KernelCase> Cases(bool quick)
    {
        int all = BenchSettings.AllThreads;
        if (quick)
        {
            yield return new KernelCase(KernelImpl.Tiled, 16384, 64, Causal: true, all);
            yield break;
        }
        foreach (var impl in Enum.GetValues<KernelImpl>())
            foreach (int n in new[] { 4096, 16384 })
                if (KernelGrid.Runs(impl, n, all) && impl != KernelImpl.Reference)
                    yield return new KernelCase(impl, n, 64, Causal: false, all);
        // d = 128: the tiled kernel's packed K and V take twice the room.
        yield return new KernelCase(KernelImpl.Tiled, 16384, 128, Causal: false, all);
    }

    /// <summary>Run every case in its own child process of this program; failures are reported, not thrown.</summary>
    public static List<MemoryResult> RunAll(bool quick, TextWriter log)
    {
        var results = new List<MemoryResult>();
        if (!ProcessMemory.Available)
        {
            log.WriteLine("Memory probe skipped: /proc/self/clear_refs is not available (not Linux?).");
            return results;
        }
        foreach (var c in Cases(quick))
        {
            log.WriteLine($"Memory probe: {c} ...");
            var result = RunChild(c);
            log.WriteLine(result.Error is null
                ? $"  first call {result.FirstCallBytes / Report.Target.BytesPerMB:F1} MB, steady {result.SteadyCallBytes / Report.Target.BytesPerMB:F1} MB, managed allocations in the first call {result.ManagedFirstCallBytes / Report.Target.BytesPerMB:F1} MB"
                : $"  failed: {result.Error}");
            results.Add(result);
        }
        return results;
    }

    private static MemoryResult RunChild(KernelCase c)
    {
        string self = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(MemoryProbe).Assembly.Location);
        foreach (string a in new[] { Argument, c.Impl.ToString(), $"{c.N}", $"{c.D}", $"{c.Causal}", $"{c.Threads}" }) start.ArgumentList.Add(a);

        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {self}.");
        var stderr = child.StandardError.ReadToEndAsync();
        string stdout = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        string? line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("MEMORY ", StringComparison.Ordinal));
        if (child.ExitCode != 0 || line is null)
            return new MemoryResult(c, 0, 0, 0, $"exit code {child.ExitCode}: {stderr.Result.Trim().Split('\n').FirstOrDefault()}");
        var parts = line.Split(' ');
        return new MemoryResult(c, long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture),
            long.Parse(parts[3], CultureInfo.InvariantCulture));
    }

    /// <summary>The child's side: measure one case and print "MEMORY first steady managed" (bytes).</summary>
    public static int RunInChild(string[] args)
    {
        var c = new KernelCase(Enum.Parse<KernelImpl>(args[1]), int.Parse(args[2], CultureInfo.InvariantCulture),
            int.Parse(args[3], CultureInfo.InvariantCulture), bool.Parse(args[4]), int.Parse(args[5], CultureInfo.InvariantCulture));

        using (var warm = CreateRunner(c with { N = 256 })) warm.Run();     // JIT and small pools, not the big call's memory

        using var runner = CreateRunner(c);
        Array.Fill(runner.Output, 1f);                                      // the output is the caller's, not extra
        GC.Collect();
        GC.WaitForPendingFinalizers();

        long managedBefore = GC.GetTotalAllocatedBytes(precise: true);
        ProcessMemory.ResetPeak();
        long residentBefore = ProcessMemory.Resident;
        runner.Run();
        long firstCall = ProcessMemory.Peak - residentBefore;
        long managed = GC.GetTotalAllocatedBytes(precise: true) - managedBefore;

        ProcessMemory.ResetPeak();
        residentBefore = ProcessMemory.Resident;
        runner.Run();
        long steadyCall = ProcessMemory.Peak - residentBefore;

        Console.WriteLine($"MEMORY {Math.Max(firstCall, 0)} {Math.Max(steadyCall, 0)} {managed}");
        return 0;
    }

    private static IBenchRunner CreateRunner(KernelCase c)
    {
        var inputs = new KernelInputs(c);
        return c.IsLibrary ? new LibraryKernelRunner(c, inputs) : new OnnxKernelRunner(c, inputs, check: false);
    }
}
