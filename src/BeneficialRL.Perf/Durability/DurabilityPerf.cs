using System.Diagnostics;
using System.Globalization;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Durability.Reports;
using BeneficialRL.Durability.Running;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Perf.Durability;

/// <summary>
/// Wall time of a persistence run (adversarial prompting + harmful fine-tuning dose ladders + comparisons) on the demo
/// experiment's checkpoints: the base (pre-RL) checkpoint and the last checkpoint of each arm, baseline as reference.
/// Options: <c>--checkpoints DIR</c> (the demo's checkpoints folder, default <c>/tmp/brl-demo-out/demo/checkpoints</c>),
/// <c>--preset NAME</c> (<c>default</c>, <c>demo</c> or <c>quick</c>; default <c>default</c>), <c>--out DIR</c> (writes
/// <c>persistence.json</c>, <c>persistence.html</c> and the PNGs), <c>--verbose</c> (progress lines with timestamps on stderr).
/// </summary>
public sealed class DurabilityPerf : IPerfMeasurement
{
    /// <inheritdoc />
    public string Name => "durability";

    /// <inheritdoc />
    public string Description => "Persistence run (attacks + harmful fine-tuning dose ladder) on the demo checkpoints: wall time per phase and subject. Options: --checkpoints DIR, --preset default|demo|quick, --out DIR, --verbose.";

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var folder = Option(args, "--checkpoints") ?? "/tmp/brl-demo-out/demo/checkpoints";
        var presetName = Option(args, "--preset") ?? "default";
        var outDir = Option(args, "--out");
        var verbose = args.Contains("--verbose");
        var spec = PersistenceSpec.Preset(presetName);
        var found = new List<(string Name, string Path)>();
        foreach (var (name, pattern) in new[] { ("pre-rl", "base-*"), ("baseline", "*-baseline-s*-step*"), ("treatment", "*-treatment-s*-step*") })
        {
            // The arm's last checkpoint: step numbers are zero-padded, so the ordinal maximum is the latest.
            var directory = Directory.Exists(folder) ? Directory.GetDirectories(folder, pattern).Order(StringComparer.Ordinal).LastOrDefault() : null;
            var tar = directory is null ? null : Path.Combine(directory, TenantBlobLayout.CheckpointArchiveFile);
            if (tar is null || !File.Exists(tar))
            {
                await output.WriteLineAsync($"No {name} checkpoint ({pattern}/{TenantBlobLayout.CheckpointArchiveFile}) under {folder}; run the demo experiment first or pass --checkpoints DIR.");
                return 2;
            }

            found.Add((name, tar));
        }

        var subjects = new List<PersistenceSubject>();
        try
        {
            foreach (var (name, path) in found)
            {
                await using var file = File.OpenRead(path);
                subjects.Add(new PersistenceSubject(name, await Checkpoint.LoadAsync(file, cancellationToken)));
            }

            output.WriteLine($"# Persistence run, preset `{presetName}` ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, 1-min load average at start {LoadAverage()})");
            output.WriteLine();
            foreach (var (name, path) in found)
            {
                output.WriteLine($"- {name}: `{path}`");
            }

            output.WriteLine();
            var checkpoints = 0;
            var total = Stopwatch.StartNew();
            var result = await PersistenceRunner.RunAsync(
                spec,
                subjects,
                "baseline",
                (_, _) =>
                {
                    checkpoints++;
                    return Task.CompletedTask;
                },
                verbose ? new ConsoleProgress(total) : null,
                cancellationToken);
            total.Stop();
            var reportClock = Stopwatch.StartNew();
            var report = PersistenceReport.Render(result);
            reportClock.Stop();

            output.WriteLine("| phase | subject | wall time |");
            output.WriteLine("|---|---|---:|");
            foreach (var timing in result.Timings)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {timing.Phase} | {(timing.Subject.Length == 0 ? "—" : timing.Subject)} | {timing.Seconds:F1} s |"));
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| report (HTML + 2 PNGs) | — | {reportClock.Elapsed.TotalSeconds:F1} s |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| **whole run** | {subjects.Count} subjects | **{total.Elapsed.TotalSeconds:F1} s** |"));
            output.WriteLine();
            var attacked = result.Adversarial.Count == 0 ? 0 : result.Adversarial[0].Scores.Sum(s => s.Items.Count);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Adversarial: {result.Adversarial.FirstOrDefault()?.Attacks.Count ?? 0} attacks, {attacked} item scorings per subject. Fine-tuning: corpus {result.Corpus?.Examples ?? 0} examples ({result.Corpus?.DroppedForOverlap ?? 0} dropped for benchmark overlap), doses {string.Join(", ", spec.FineTuning.Doses)}, {checkpoints} dose checkpoints handed over."));
            output.WriteLine();
            output.WriteLine("| subject | clean (pts) | harmful-persona degr. | helpful-persona degr. | transform degr. | in-domain half-life | out-of-domain half-life |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var name in result.Subjects)
            {
                var adversarial = result.Adversarial.FirstOrDefault(a => a.Subject == name);
                var fineTuning = result.FineTuning.FirstOrDefault(f => f.Subject == name);
                string Kind(int k) => adversarial is null || adversarial.Kinds.Count <= k ? "" : F(adversarial.Kinds[k].Degradation.DegradationPoints.Estimate);
                output.WriteLine($"| {name} | {F(adversarial?.CleanMeanPoints ?? double.NaN)} | {Kind(0)} | {Kind(1)} | {Kind(2)} | {F(fineTuning?.InDomainHalfLife?.HalfLife ?? double.NaN)} | {F(fineTuning?.OutOfDomainHalfLife?.HalfLife ?? double.NaN)} |");
            }

            if (outDir is not null)
            {
                Directory.CreateDirectory(outDir);
                await File.WriteAllTextAsync(Path.Combine(outDir, "persistence.json"), PersistenceJson.Serialize(result, indented: true), cancellationToken);
                await File.WriteAllTextAsync(Path.Combine(outDir, "persistence.html"), "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Persistence</title></head><body>" + report.Html + "</body></html>", cancellationToken);
                foreach (var (name, png) in report.Images)
                {
                    await File.WriteAllBytesAsync(Path.Combine(outDir, name), png, cancellationToken);
                }

                output.WriteLine();
                output.WriteLine($"Wrote persistence.json, persistence.html and {report.Images.Count} PNGs to {outDir}.");
            }
        }
        finally
        {
            foreach (var subject in subjects)
            {
                subject.Checkpoint.Dispose();
            }
        }

        return 0;
    }

    private static string F(double value) => double.IsPositiveInfinity(value) ? "∞" : double.IsNaN(value) ? "–" : value.ToString("0.0", CultureInfo.InvariantCulture);

    private sealed class ConsoleProgress(Stopwatch clock) : IProgress<PersistenceProgress>
    {
        public void Report(PersistenceProgress value) =>
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,7:F1} s] {value.Phase} {value.Done}/{value.Total} {value.Message}"));
    }

    private static string? Option(IReadOnlyList<string> args, string name)
    {
        var at = args.ToList().IndexOf(name);
        return at >= 0 && at + 1 < args.Count ? args[at + 1] : null;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
