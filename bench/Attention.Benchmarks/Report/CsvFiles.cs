using System.Globalization;
using Attention.Benchmarks.Cases;

namespace Attention.Benchmarks.Report;

/// <summary>The machine-readable results: one CSV per kind, invariant culture, one row per measurement.</summary>
public static class CsvFiles
{
    public static IEnumerable<string> Write(Results results, string directory)
    {
        yield return Write(directory, "attention.csv", "impl,n,d,heads,kv_heads,causal,threads,median_ms,gflops,alloc_bytes",
            results.Kernels.Select(k => Row(k.Case.Impl, k.Case.N, k.Case.D, KernelCase.Heads, KernelCase.KvHeads, k.Case.Causal ? 1 : 0,
                k.Case.Threads, k.M.MedianMs, k.M.Gflops(k.Case.Flops), k.M.AllocatedBytes)));
        yield return Write(directory, "peak.csv", "probe,threads,median_ms,gflops",
            results.Peaks.Select(p => Row(p.Case.Width, p.Case.Threads, p.M.MedianMs, p.M.Gflops(p.Case.Flops))));
        yield return Write(directory, "layer.csv", "impl,n,d_model,heads,threads,median_ms,gflops,alloc_bytes",
            results.Layers.Select(l => Row(l.Case.Impl, l.Case.N, LayerCase.ModelDim, LayerCase.Heads, l.Case.Threads,
                l.M.MedianMs, l.M.Gflops(l.Case.Flops), l.M.AllocatedBytes)));
        yield return Write(directory, "memory.csv", "impl,n,d,heads,kv_heads,causal,threads,extra_first_call_bytes,extra_steady_bytes,managed_first_call_bytes,error",
            results.Memory.Select(m => Row(m.Case.Impl, m.Case.N, m.Case.D, KernelCase.Heads, KernelCase.KvHeads, m.Case.Causal ? 1 : 0,
                m.Case.Threads, m.FirstCallBytes, m.SteadyCallBytes, m.ManagedFirstCallBytes, m.Error)));
        yield return Write(directory, "paired.csv", "kind,n,d,causal,threads,peer,paired_ratio,pairs",
            results.Paired.OrderBy(p => p.Key).Select(p => Row("kernel", p.Key.N, p.Key.D, p.Key.Causal ? 1 : 0, p.Key.Threads, p.Value.Peer, p.Value.Ratio, p.Value.Pairs))
                .Concat(results.PairedPeak.OrderBy(p => p.Key).Select(p => Row("peak", p.Key.N, p.Key.D, p.Key.Causal ? 1 : 0, p.Key.Threads, p.Value.Peer, p.Value.Ratio, p.Value.Pairs)))
                .Concat(results.PairedLayers.OrderBy(p => p.Key).Select(p => Row("layer", p.Key.N, LayerCase.ModelDim, 0, p.Key.Threads, p.Value.Peer, p.Value.Ratio, p.Value.Pairs))));
        if (results.Others.Count > 0)
            yield return Write(directory, "other.csv", "class,method,parameters,median_ms,alloc_bytes",
                results.Others.Select(o => Row(o.Type, o.Method, o.Parameters, o.MedianMs, o.AllocatedBytes)));
    }

    private static string Write(string directory, string name, string header, IEnumerable<string> rows)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllLines(path, [header, .. rows]);
        return path;
    }

    private static string Row(params object?[] values) => string.Join(",", values.Select(Cell));

    private static string Cell(object? value) => value switch
    {
        null => "",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        string s when s.Contains(',') || s.Contains('"') => $"\"{s.Replace("\"", "\"\"")}\"",
        _ => value.ToString() ?? "",
    };
}
