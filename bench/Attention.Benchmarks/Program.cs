using System.Reflection;
using Attention;
using Attention.Benchmarks;
using Attention.Benchmarks.Cases;
using Attention.Benchmarks.Memory;
using Attention.Benchmarks.Report;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;

// The attention benchmark suite. Usage (from the repository root):
//   dotnet run -c Release --project bench/Attention.Benchmarks -- [--quick] [--filter TEXT] [--out DIR] [--no-memory]
// --quick     a representative subset with short iterations (the CI smoke run; asserts nothing about time)
// --filter    only benchmarks whose name contains TEXT, e.g. "Tiled n=4096" (case-insensitive; "A|B": either)
// --out       where the CSV and markdown files go (default: <repo>/artifacts/bench)
// --no-memory skip the extra-memory probe (one child process per probed case)
if (args.Length > 0 && args[0] == MemoryProbe.Argument) return MemoryProbe.RunInChild(args);

bool quick = args.Contains("--quick");
bool memory = !args.Contains("--no-memory");
string? filter = Option("--filter");
string outDir = Path.GetFullPath(Option("--out") ?? Path.Combine(RepositoryRoot(), "artifacts", "bench"));
Directory.CreateDirectory(outDir);
BenchSettings.Quick = quick;

var run = new RunInfo(quick);
Console.WriteLine($"Attention benchmarks, {(quick ? "quick" : "full")} mode. {SimdSupport.Describe()}");
Console.WriteLine($"Load average (1/5/15 min): {run.LoadAtStart}. Core-to-core round trip: {Attention.Benchmarks.Peak.CoreToCore.Describe(run.CoresAtStart)}.");
Console.WriteLine(TorchSharpStatus.Reason());
foreach (string limit in KernelGrid.Limits) Console.WriteLine(limit);

// Every class of this assembly with a [Benchmark] method runs (RealModel/ and any later additions included).
var types = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
    .OrderBy(t => t.FullName, StringComparer.Ordinal)
    .ToArray();
var summaries = BenchmarkRunner.Run(types, BenchConfig.Create(quick, Path.Combine(outDir, "bdn"), filter));

var memoryResults = memory && filter is null ? MemoryProbe.RunAll(quick, Console.Out) : [];
run.Finish();

var failures = new List<string>();
var results = new Results(Measurement.From(summaries, failures), memoryResults, failures);
PairedRatios.Measure(results, quick, Console.Out);
var files = CsvFiles.Write(results, outDir).ToList();
files.Add(MarkdownReport.Write(results, run, KernelGrid.Limits, Path.Combine(outDir, "attention.md")));

Console.WriteLine();
Console.WriteLine($"Load average at the end: {run.LoadAtEnd}. Core-to-core round trip: {Attention.Benchmarks.Peak.CoreToCore.Describe(run.CoresAtEnd)}.");
Console.WriteLine("Results:");
foreach (string file in files) Console.WriteLine($"  {file}");
Console.WriteLine($"  {Path.Combine(outDir, "bdn", "results")} (BenchmarkDotNet's own reports)");
if (failures.Count > 0)
{
    Console.Error.WriteLine($"{failures.Count} benchmark(s) failed:");
    foreach (string f in failures) Console.Error.WriteLine($"  {f}");
    return 1;
}
return 0;

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

// The folder holding Course.sln, searched upwards from the working directory, then from the program's own folder.
static string RepositoryRoot()
{
    foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Course.sln"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}
