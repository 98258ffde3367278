using System.Globalization;

namespace Attention.Benchmarks.Report;

/// <summary>A goal "achieved ≥ required" and how one measurement fares against it.</summary>
public sealed record Target(string Name, string Scope, double Required, string Unit)
{
    public static readonly Target BeatsPeers = new("tiled ≥ 1.1× best peer", "every n ≥ 256, causal or not, 1 and all threads", 1.1, "×");
    public static readonly Target CausalSkips = new("causal ≥ 2× best peer", "causal, n ≥ 256", 2.0, "×");
    public static readonly Target NearPeak = new("≥ 75 % of the one-core FMA peak", "n = 4096, d = 64, not causal, 1 thread", 0.75, "of peak");
    public static readonly Target SmallCalls = new("n ≤ 64: ≥ 1.2× best peer", "n ≤ 64 (the path Auto picks)", 1.2, "×");
    public static readonly Target LayerEndToEnd = new("MHA layer ≥ 1.0× best peer", "d_model 512, 8 heads, n ∈ {128, 1024}", 1.0, "×");
    public static readonly Target SmallMemory = new("extra memory < 32 MB", "n = 16384, tiled, first call (1 MB = 10⁶ bytes)", 32.0, "MB");

    /// <summary>Bytes per MB in every memory figure: the SI megabyte, so "32 MB" means what it says (32 MiB would be 33.6 MB).</summary>
    public const double BytesPerMB = 1e6;
    public static readonly Target NoAllocation = new("0 bytes allocated per call", "library, a warm call, on the calling thread", 0, "B");

    /// <summary>
    /// "met (1.23×)" or "missed by 12% (0.97×)": missed by 1 − achieved/required. A miss that two digits would round
    /// away is shown with one more ("missed by 0.2% (1.996×)", not "missed by 0% (2.00×)").
    /// </summary>
    public string Verdict(double achieved)
    {
        string value = Format(achieved);
        if (achieved >= Required) return $"met ({value})";
        double missed = (1 - achieved / Required) * 100;
        if (missed >= 0.5) return string.Create(CultureInfo.InvariantCulture, $"missed by {missed:F0}% ({value})");
        string close = Unit switch
        {
            "×" => string.Create(CultureInfo.InvariantCulture, $"{achieved:F3}×"),
            "of peak" => string.Create(CultureInfo.InvariantCulture, $"{achieved * 100:F1} %"),
            _ => value,
        };
        return string.Create(CultureInfo.InvariantCulture, $"missed by {missed:F1}% ({close})");
    }

    /// <summary>For upper bounds (memory, allocations): "met (12.0 MB)" or "missed by 40% (44.8 MB)", missed by achieved/limit − 1.</summary>
    public string VerdictAtMost(double achieved, bool strictlyBelow)
    {
        string value = Format(achieved);
        bool ok = strictlyBelow ? achieved < Required : achieved <= Required;
        if (ok) return $"met ({value})";
        return Required == 0 ? $"missed ({value})" : $"missed by {(achieved / Required - 1) * 100:F0}% ({value})";
    }

    public string Format(double value) => Unit switch
    {
        "×" => string.Create(CultureInfo.InvariantCulture, $"{value:F2}×"),
        "of peak" => string.Create(CultureInfo.InvariantCulture, $"{value * 100:F0} %"),
        "MB" => string.Create(CultureInfo.InvariantCulture, $"{value:F1} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{value:F0} {Unit}"),
    };
}
