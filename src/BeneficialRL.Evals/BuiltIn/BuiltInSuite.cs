using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Scenarios.Schema;
using BeneficialRL.Scenarios.Text;

namespace BeneficialRL.Evals.BuiltIn;

/// <summary>
/// The built-in out-of-distribution suite: every benchmark spec in the <c>family-*.json</c> data files,
/// filled from the benchmark-only entity banks, deterministic by seed. Templates and banks are kept
/// apart from the Scenarios training generator (checked by a 13-gram contamination test).
/// </summary>
public static partial class BuiltInSuite
{
    /// <summary>Generator name and version recorded in each benchmark's source; bump the version when output for a seed changes.</summary>
    public const string GeneratorId = "builtin-benchmarks/1.1.0";

    /// <summary>The seed of the published suite.</summary>
    public const long DefaultSeed = 20260601;

    /// <summary>Items per benchmark unless a spec says otherwise.</summary>
    public const int DefaultItemsPerBenchmark = 120;

    private const int MaxAttemptsPerItem = 64;

    private static readonly Lazy<BenchmarkDomainsFile> Banks = new(() => BenchmarkData.Read<BenchmarkDomainsFile>("benchmark-domains.json"));

    /// <summary>Domain ids that no training run uses (not in the scenario taxonomy).</summary>
    public static IReadOnlyList<string> BenchmarkOnlyDomains => [.. Banks.Value.Domains.Where(d => !d.Value.Taxonomy).Select(d => d.Key)];

    /// <summary>Generates every built-in benchmark.</summary>
    public static IReadOnlyList<Benchmark> Generate(long seed = DefaultSeed) =>
        [.. BenchmarkData.FamilyFiles().SelectMany(file => GenerateFamily(file, seed))];

    private static IEnumerable<Benchmark> GenerateFamily(string file, long seed)
    {
        var family = BenchmarkData.Read<FamilyFile>(file);
        var byId = family.Benchmarks.ToDictionary(b => b.Id, StringComparer.Ordinal);
        foreach (var raw in family.Benchmarks)
        {
            var spec = raw.Like is null ? raw
                : byId.TryGetValue(raw.Like, out var parent) ? raw.InheritFrom(parent)
                : throw new InvalidOperationException($"{file}: benchmark '{raw.Id}' is like '{raw.Like}', which the file does not define.");
            yield return Build(family.Family, spec, seed, file);
        }
    }

    private static Benchmark Build(string family, BenchmarkSpec spec, long seed, string file)
    {
        string Where(string field) => $"{file}: benchmark '{spec.Id}' field '{field}'";
        var format = spec.Format switch
        {
            "mc-loglik" => BenchmarkFormat.McLogLik,
            "generate-grade" => BenchmarkFormat.GenerateGrade,
            "multi-turn" => BenchmarkFormat.MultiTurn,
            _ => throw new InvalidOperationException($"{Where("format")}: '{spec.Format}' is not mc-loglik, generate-grade or multi-turn."),
        };
        var prompts = spec.Prompts is { Count: > 0 } p ? p : throw new InvalidOperationException($"{Where("prompts")}: at least one prompt is required.");
        var swap = spec.Swap == true;
        var domains = ResolveDomains(spec.Domains, Where("domains"));
        var graderKind = spec.Grader ?? (format == BenchmarkFormat.McLogLik ? GraderSpec.OptionLogLikKind : GraderSpec.RubricKind);
        var grader = new GraderSpec(graderKind, spec.PenaliseRefusal == true);
        if (format == BenchmarkFormat.McLogLik && (spec.Aligned is not { Count: > 0 } || spec.Misaligned is not { Count: > 0 }))
        {
            throw new InvalidOperationException($"{Where("aligned")}: an mc-loglik benchmark needs aligned and misaligned options.");
        }

        if (format == BenchmarkFormat.MultiTurn && spec.History is not { Count: > 0 })
        {
            throw new InvalidOperationException($"{Where("history")}: a multi-turn benchmark needs follow-ups.");
        }

        var count = spec.Count ?? DefaultItemsPerBenchmark;
        var items = new List<BenchmarkItem>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < count; index++)
        {
            var domain = domains[index % domains.Count];
            BenchmarkItem? item = null;
            for (var attempt = 0; attempt < MaxAttemptsPerItem && item is null; attempt++)
            {
                var random = SplitMix64Random.For(seed, spec.Id, index.ToString(CultureInfo.InvariantCulture), attempt.ToString(CultureInfo.InvariantCulture));
                var candidate = BuildItem(spec, format, graderKind, swap, domain, index, random);
                if (seen.Add(candidate.Prompt.AllText + "\u0001" + candidate.SwappedPrompt?.AllText))
                {
                    item = candidate;
                }
            }

            items.Add(item ?? throw new InvalidOperationException($"{file}: benchmark '{spec.Id}' cannot produce {count} distinct items; add templates or slot values."));
        }

        var definition = new BenchmarkDefinition(
            spec.Id,
            spec.Name ?? spec.Id,
            family,
            spec.Traits ?? [],
            domains,
            format,
            swap ? BenchmarkPolarity.PairConsistency : format == BenchmarkFormat.McLogLik ? BenchmarkPolarity.AlignedOptionMarked : BenchmarkPolarity.GraderScore,
            ItemSource.BuiltIn(GeneratorId, $"{file}#{spec.Id}", seed),
            grader,
            "1",
            "",
            0)
        {
            Description = spec.Description ?? "",
        };
        return Benchmark.Create(definition, items);
    }

    private static BenchmarkItem BuildItem(BenchmarkSpec spec, BenchmarkFormat format, string graderKind, bool swap, string domain, int index, SplitMix64Random random)
    {
        var values = DrawSlots(spec, domain, random);
        string Fill(string template) => CapitaliseSentences(Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var v)
            ? v
            : throw new InvalidOperationException($"Benchmark '{spec.Id}': template slot '{{{m.Groups[1].Value}}}' has no value (template: {template}).")));

        var promptIndex = random.Next(spec.Prompts!.Count);
        var system = spec.System is null ? null : Fill(spec.System);
        var tags = new List<string> { $"template-{promptIndex}" };
        BenchmarkPrompt MakePrompt()
        {
            var first = new ConversationTurn(TurnRole.User, Fill(spec.Prompts[promptIndex]));
            if (format != BenchmarkFormat.MultiTurn)
            {
                return new BenchmarkPrompt(system, [first]);
            }

            var followUp = spec.History![index % spec.History.Count];
            return new BenchmarkPrompt(system, [first, new ConversationTurn(TurnRole.Assistant, Fill(followUp.Assistant)), new ConversationTurn(TurnRole.User, Fill(followUp.User))]);
        }

        BenchmarkPrompt prompt, swapped = null!;
        if (swap)
        {
            var pair = random.Pick(Banks.Value.IdentityPairs);
            var flip = random.Next(2) == 1;
            values["person"] = pair[flip ? 1 : 0];
            prompt = MakePrompt();
            values["person"] = pair[flip ? 0 : 1];
            swapped = MakePrompt();
            tags.Add($"pair-{pair[0]}|{pair[1]}");
        }
        else
        {
            prompt = MakePrompt();
        }

        var item = new BenchmarkItem($"{spec.Id}-{index:D4}", prompt, domain) { SwappedPrompt = swap ? swapped : null, Tags = tags };
        if (format == BenchmarkFormat.McLogLik)
        {
            var misaligned = spec.Misaligned!.OrderBy(_ => random.NextDouble()).Take(2).Select(t => new BenchmarkOption(Fill(t), false));
            var options = misaligned.Append(new BenchmarkOption(Fill(random.Pick(spec.Aligned!)), true)).OrderBy(_ => random.NextDouble()).ToList();
            return item with { Options = options };
        }

        if (graderKind == GraderSpec.NumericKind)
        {
            return item with { CorrectReferences = [values["answer"]] };
        }

        var rubric = spec.Rubric ?? throw new InvalidOperationException($"Benchmark '{spec.Id}' is rubric-graded but has no rubric.");
        return item with
        {
            Rubric = [.. rubric.Select(r => new RubricCriterion(
                r.Id,
                Fill(r.Text),
                r.Polarity switch
                {
                    "must-do" => CriterionPolarity.MustDo,
                    "must-avoid" => CriterionPolarity.MustAvoid,
                    _ => throw new InvalidOperationException($"Benchmark '{spec.Id}' rubric '{r.Id}': polarity '{r.Polarity}' is not must-do or must-avoid."),
                },
                1.0,
                new JudgeCheck(r.Concepts, r.MinConcepts)))],
        };
    }

    private static Dictionary<string, string> DrawSlots(BenchmarkSpec spec, string domain, SplitMix64Random random)
    {
        var bank = Banks.Value.Domains[domain];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (slot, options) in bank.Slots)
        {
            values[slot] = random.Pick(options);
        }

        values["name"] = random.Pick(Banks.Value.Names);

        // Local slots may themselves use domain slots ("{colleague}'s signature"), so fill them after.
        foreach (var (slot, options) in spec.Slots ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            values[slot] = Placeholder().Replace(random.Pick(options), m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);
        }

        if (spec.Arithmetic is { } op)
        {
            var (n1, n2, answer) = op switch
            {
                "add" => Draw(random.Next(12, 480), random.Next(12, 480), (a, b) => a + b),
                "subtract" => Draw(random.Next(120, 900), random.Next(10, 110), (a, b) => a - b),
                "multiply" => Draw(random.Next(3, 25), random.Next(4, 37), (a, b) => a * b),
                _ => throw new InvalidOperationException($"Benchmark '{spec.Id}': arithmetic '{op}' is not add, subtract or multiply."),
            };
            values["n1"] = n1.ToString(CultureInfo.InvariantCulture);
            values["n2"] = n2.ToString(CultureInfo.InvariantCulture);
            values["answer"] = answer.ToString(CultureInfo.InvariantCulture);
            values["wrong1"] = (answer + random.Next(1, 11)).ToString(CultureInfo.InvariantCulture);
            values["wrong2"] = Math.Max(1, answer - random.Next(11, 40)).ToString(CultureInfo.InvariantCulture);
        }

        return values;
    }

    private static (int N1, int N2, int Answer) Draw(int n1, int n2, Func<int, int, int> op) => (n1, n2, op(n1, n2));

    private static List<string> ResolveDomains(JsonElement? domains, string where)
    {
        var all = Banks.Value.Domains;
        if (domains is null || domains.Value.ValueKind == JsonValueKind.String)
        {
            var selector = domains?.GetString() ?? "all";
            return selector switch
            {
                "all" => [.. all.Keys],
                "taxonomy" => [.. all.Where(d => d.Value.Taxonomy).Select(d => d.Key)],
                "benchmark-only" => [.. all.Where(d => !d.Value.Taxonomy).Select(d => d.Key)],
                _ => throw new InvalidOperationException($"{where}: '{selector}' is not all, taxonomy or benchmark-only."),
            };
        }

        var list = domains.Value.EnumerateArray().Select(e => e.GetString() ?? "").ToList();
        foreach (var id in list.Where(id => !all.ContainsKey(id)))
        {
            throw new InvalidOperationException($"{where}: unknown domain '{id}'.");
        }

        return list;
    }

    /// <summary>Slot values are lower-case phrases; one that opens a sentence gets a capital.</summary>
    private static string CapitaliseSentences(string text) =>
        SentenceStart().Replace(text, m => m.Value.ToUpperInvariant());

    [GeneratedRegex(@"(^|[.!?]\s+)[a-z]")]
    private static partial Regex SentenceStart();

    [GeneratedRegex(@"\{([a-z0-9_]+)\}")]
    private static partial Regex Placeholder();
}
