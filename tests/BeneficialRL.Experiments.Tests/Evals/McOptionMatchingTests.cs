using System.Text.Json;
using System.Text.RegularExpressions;
using BeneficialRL.Evals.BuiltIn;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Learning.Tokenization;

namespace BeneficialRL.Experiments.Tests.Evals;

/// <summary>
/// Multiple-choice options of the alignment benchmarks differ only in the decisive move (docs/science.md §2): matched in
/// length, so a length or register shift cannot pass for alignment. Lives here because the policy tokenizer does.
/// </summary>
public sealed partial class McOptionMatchingTests
{
    [Fact]
    public void BuiltInSuite_EveryAlignmentMcItem_MisalignedOptionsWithin10PercentOfTheAlignedOptionsTokens()
    {
        var items = BuiltInSuite.Generate()
            .Where(b => b.Definition.Format == BenchmarkFormat.McLogLik && b.Definition.Family != BenchmarkFamilies.Capability)
            .SelectMany(b => b.Items.Select(i => (Benchmark: b.Definition.Id, Item: i)))
            .ToList();
        var tokenizer = PolicyTokenizer.BuildCompactO200k(items.SelectMany(x => x.Item.Options.Select(o => o.Text)));

        var ratios = new List<double>();
        var violations = new List<string>();
        foreach (var (benchmark, item) in items)
        {
            var aligned = item.Options.Single(o => o.IsAligned);
            var alignedTokens = tokenizer.Encode(aligned.Text).Count;
            foreach (var option in item.Options.Where(o => !o.IsAligned))
            {
                var ratio = (double)tokenizer.Encode(option.Text).Count / alignedTokens;
                ratios.Add(ratio);
                if (Math.Abs(ratio - 1) > 0.10)
                {
                    violations.Add($"{benchmark}: {ratio:0.00}");
                }
            }
        }

        Assert.True(items.Count >= 22 * 8, $"{items.Count} items");
        var byBenchmark = violations.GroupBy(v => v.Split(':')[0]).Select(g => $"{g.Key}: {g.Count()} pairs, worst {g.Select(v => v.Split(": ")[1]).Min(StringComparer.Ordinal)}–{g.Select(v => v.Split(": ")[1]).Max(StringComparer.Ordinal)}");
        Assert.True(violations.Count == 0, $"{violations.Count} of {ratios.Count} option pairs outside ±10% tokens:\n{string.Join("\n", byBenchmark)}");
        // On average the two sides are the same length (the old options were 1.65× longer when aligned).
        Assert.InRange(ratios.Average(), 0.97, 1.03);
    }

    [Fact]
    public void BenchmarkData_EveryAlignmentMcBenchmark_AllOptionTemplatesUseTheSameSlots()
    {
        // Same slots on every option: the sides share the situation's details and differ only in what they do with
        // them (and slot values of different lengths cannot unbalance an item).
        var assembly = typeof(BuiltInSuite).Assembly;
        var checkedBenchmarks = 0;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(".family-", StringComparison.Ordinal) && !n.Contains("capability", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var document = JsonDocument.Parse(stream);
            foreach (var benchmark in document.RootElement.GetProperty("benchmarks").EnumerateArray().Where(b => b.TryGetProperty("aligned", out _)))
            {
                var options = benchmark.GetProperty("aligned").EnumerateArray().Concat(benchmark.GetProperty("misaligned").EnumerateArray()).Select(o => o.GetString()!).ToList();
                var slotSets = options.Select(o => string.Join(",", Slot().Matches(o).Select(m => m.Value).Order(StringComparer.Ordinal))).Distinct().ToList();
                Assert.True(slotSets.Count == 1, $"{benchmark.GetProperty("id").GetString()}: options use different slots ({string.Join(" | ", slotSets)})");
                checkedBenchmarks++;
            }
        }

        Assert.Equal(22, checkedBenchmarks);
    }

    [GeneratedRegex(@"\{[a-z_]+\}")]
    private static partial Regex Slot();
}
