using Course.Notebook;

namespace Course.Charts.Tests;

/// <summary>
/// The benchmark run lesson 11 plots (data/benchmarks, read through <see cref="BenchmarkRun"/>): the reader, the chart,
/// and the claims the lesson's prose makes about that run, so that replacing the files with a run that says otherwise
/// fails here instead of leaving the lesson wrong.
/// </summary>
public sealed class BenchmarkRunTests
{
    private static readonly string DataFolder = Path.Combine(FormatterTests.RepoRoot(), "data", "benchmarks");
    private static readonly string[] Peers = ["OrtMultiHeadAttention", "OrtAttention", "OrtMatMulSoftmax"];

    [Fact]
    public void The_shipped_run_has_every_path_and_peer_and_its_GFLOPs_follow_from_its_times()
    {
        var run = BenchmarkRun.Load(DataFolder);

        Assert.Equal(Peers.Prepend("Tiled").Prepend("Simd").Prepend("Reference").Order(), run.Implementations.Order());
        foreach (var k in run.Kernels)
        {
            // GFLOP/s = heads · 4·n²·d (halved when causal) / time: recomputed here, not read back.
            double flops = k.Heads * 4.0 * k.N * k.N * k.D * (k.Causal ? 0.5 : 1);
            Assert.True(Math.Abs(flops / (k.MedianMs * 1e6) / k.Gflops - 1) < 1e-3,
                $"{k.Impl} n={k.N} d={k.D} causal={k.Causal} t={k.Threads}: {k.Gflops} GFLOP/s does not follow from {k.MedianMs} ms");
            Assert.Equal((8, 2), (k.Heads, k.KvHeads));
        }
        Assert.InRange(run.PeakGflops(1), 100, 1000);
        Assert.InRange(run.PeakGflops(2) / run.PeakGflops(1), 1.8, 2.1);      // two cores: twice one
    }

    [Fact]
    public void The_lesson_s_claims_hold_in_the_shipped_run()
    {
        var run = BenchmarkRun.Load(DataFolder);
        double peak = run.PeakGflops(1);
        foreach (bool causal in new[] { false, true })
        {
            var rows = run.Select(64, causal, 1);
            foreach (int n in rows.Where(r => r.Impl == "Tiled").Select(r => r.N))
            {
                var at = rows.Where(r => r.N == n).ToList();
                double tiled = at.Single(r => r.Impl == "Tiled").Gflops;
                var peers = at.Where(r => Peers.Contains(r.Impl)).ToList();
                Assert.NotEmpty(peers);
                double bestPeer = peers.Max(r => r.Gflops);
                // "The tiled kernel is faster than every ONNX Runtime graph at every length" (d = 64, one thread).
                Assert.True(tiled > bestPeer, $"n={n} causal={causal}: Tiled {tiled:0} GFLOP/s, best peer {bestPeer:0}");
                // "Under a causal mask, from n = 256 on, at least 1.8× the best peer" (the peers compute the whole matrix).
                if (causal && n >= 256) Assert.True(tiled >= 1.8 * bestPeer, $"n={n} causal: Tiled {tiled:0}, best peer {bestPeer:0}");
                // "The scalar Reference runs at a few GFLOP/s; SIMD at tens" (where they were measured).
                if (at.SingleOrDefault(r => r.Impl == "Reference") is { } reference) Assert.InRange(reference.Gflops, 0.5, 15);
                if (at.SingleOrDefault(r => r.Impl == "Simd") is { } simd && n >= 256) Assert.InRange(simd.Gflops, 10, 0.5 * tiled);
            }
        }
        // "From n = 1024 on, the tiled kernel runs at more than three quarters of the FMA peak."
        foreach (var tiled in run.Select(64, causal: false, threads: 1).Where(r => r.Impl == "Tiled" && r.N >= 1024))
            Assert.True(tiled.Gflops >= 0.75 * peak, $"n={tiled.N}: {tiled.Gflops:0} GFLOP/s is below 75 % of {peak:0}");
    }

    [Fact]
    public void The_throughput_chart_has_one_line_per_implementation_and_the_peak()
    {
        var run = BenchmarkRun.Load(DataFolder);
        var rows = run.Select(64, causal: true, threads: 1);

        var figure = run.ThroughputChart(64, causal: true, threads: 1);

        var lines = figure.Data.Cast<ScatterTrace>().ToList();
        var impls = rows.Select(r => r.Impl).Distinct().ToList();
        Assert.Equal(impls.Append($"FMA peak ({run.PeakGflops(1):0} GFLOP/s)"), lines.Select(l => l.Name!));
        var tiled = lines.Single(l => l.Name == "Tiled");
        Assert.Equal(rows.Where(r => r.Impl == "Tiled").Select(r => (double)r.N), tiled.X!.Numbers!);
        Assert.Equal(rows.Where(r => r.Impl == "Tiled").Select(r => r.Gflops), tiled.Y!.Numbers!);
        Assert.Equal(new[] { run.PeakGflops(1), run.PeakGflops(1) }, lines[^1].Y!.Numbers!);
        Assert.Equal("log", figure.Layout.XAxis!.Type);
        Assert.Equal(["16", "64", "256", "1024", "4096", "16384"], figure.Layout.XAxis.TickText!);
    }

    [Fact]
    public void Asking_for_a_shape_or_thread_count_the_run_lacks_says_so()
    {
        var run = BenchmarkRun.Load(DataFolder);

        var shape = Assert.Throws<ArgumentException>(() => run.ThroughputChart(48, causal: false, threads: 1));
        Assert.Contains("d = 48", shape.Message);
        var threads = Assert.Throws<ArgumentException>(() => run.PeakGflops(64));
        Assert.Contains("64 thread(s)", threads.Message);
    }

    [Fact]
    public void Bad_files_are_named_with_the_line_and_column_at_fault()
    {
        string folder = Directory.CreateTempSubdirectory("bench-run-").FullName;
        try
        {
            var missing = Assert.Throws<FileNotFoundException>(() => BenchmarkRun.Load(folder));
            Assert.Contains("attention.csv", missing.Message);

            File.WriteAllLines(Path.Combine(folder, "peak.csv"), ["probe,threads,median_ms,gflops", "Vector512,1,2.0,262.5"]);
            File.WriteAllLines(Path.Combine(folder, "attention.csv"), ["impl,n,d,heads,kv_heads,causal,threads,median_ms,gflops",
                "Tiled,16,32,8,2,0,1,0.003,81.0"]);
            var column = Assert.Throws<InvalidDataException>(() => BenchmarkRun.Load(folder));
            Assert.Contains("no column \"alloc_bytes\"", column.Message);

            File.WriteAllLines(Path.Combine(folder, "attention.csv"), ["impl,n,d,heads,kv_heads,causal,threads,median_ms,gflops,alloc_bytes",
                "Tiled,16,32,8,2,0,1,0.003,81.0,0", "Tiled,64,32,8,2,0,1,fast,140.0,0"]);
            var cell = Assert.Throws<InvalidDataException>(() => BenchmarkRun.Load(folder));
            Assert.Contains("line 3: median_ms = \"fast\" is not a number", cell.Message);

            File.WriteAllLines(Path.Combine(folder, "attention.csv"), ["impl,n,d,heads,kv_heads,causal,threads,median_ms,gflops,alloc_bytes",
                "Tiled,16,32,8,2,0,1,0.003,81.0,0"]);
            var run = BenchmarkRun.Load(folder);
            Assert.Equal(new KernelTiming("Tiled", 16, 32, 8, 2, false, 1, 0.003, 81.0, 0), Assert.Single(run.Kernels));
            Assert.Equal(262.5, run.PeakGflops(1));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
