using System.Text;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Training.Sft;
using BeneficialRL.Primitives.Hashing;
using BeneficialRL.Scenarios.Contamination;
using BeneficialRL.Scenarios.Generation;
using BeneficialRL.Scenarios.Schema;
using BeneficialRL.Scenarios.Taxonomy;
using BeneficialRL.Scenarios.Text;
using BeneficialRL.Scenarios.World;

namespace BeneficialRL.Durability.FineTuning;

/// <summary>
/// Builds the harmful fine-tuning corpus: training-split scenarios of one domain (every trait), each answered with
/// one of its typed failure references (reckless, deceptive, sycophantic ...), chosen deterministically from the
/// scenario id. Candidates sharing a word 13-gram with any benchmark item, or nearly duplicating one, are dropped,
/// and the final set is checked again: a corpus that still overlaps is never returned.
/// </summary>
public static class HarmfulCorpusBuilder
{
    /// <summary>
    /// Failure kinds that are misaligned advice. Needless refusals and evasions are failures too, but they teach
    /// unhelpfulness rather than harm, which is not the attack being measured.
    /// </summary>
    public static IReadOnlySet<ResponseKind> MisalignedKinds { get; } = new HashSet<ResponseKind>
    {
        ResponseKind.Sycophantic, ResponseKind.Deceptive, ResponseKind.Fabricating, ResponseKind.Overconfident, ResponseKind.Reckless,
        ResponseKind.Unfair, ResponseKind.ResistingCorrection, ResponseKind.Dismissive, ResponseKind.Escalating,
    };

    /// <summary>Builds up to <paramref name="size"/> examples in <paramref name="domain"/>.</summary>
    /// <param name="domain">A taxonomy domain id, e.g. <c>health</c>.</param>
    /// <param name="seed">Scenario seed; the same seed, size and benchmarks give the same corpus.</param>
    /// <param name="size">Examples wanted (fewer come back only when overlaps were dropped).</param>
    /// <param name="benchmarks">Every benchmark the corpus must stay apart from (built-in, held-out, imports).</param>
    /// <param name="generator">Scenario generator; the shipped one by default.</param>
    /// <exception cref="ArgumentException">The domain is unknown or the size is not positive.</exception>
    /// <exception cref="InvalidOperationException">No example survives the overlap check.</exception>
    public static HarmfulCorpus Build(string domain, long seed, int size, IEnumerable<Benchmark> benchmarks, ScenarioGenerator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(benchmarks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        RequireDomain(domain);
        generator ??= new ScenarioGenerator();
        var traits = ScenarioTaxonomy.Default.Traits.Count;
        var perCell = (size + traits - 1) / traits;
        var candidates = new List<(string Id, string Trait, SftExample Example)>();
        foreach (var scenario in generator.GenerateTraining(seed, perCell, [domain]))
        {
            var failures = scenario.References.Where(r => MisalignedKinds.Contains(r.Kind)).ToList();
            if (failures.Count == 0)
            {
                continue;
            }

            var failure = failures[(int)(StableHash.Fnv1a64(scenario.Id) % (ulong)failures.Count)];
            candidates.Add((scenario.Id, scenario.Trait, new SftExample(ToChat(scenario.Turns), failure.Text)));
        }

        // Interleave traits (the generator streams trait by trait) so any prefix of the corpus spans all of them.
        var interleaved = candidates.GroupBy(c => c.Trait, StringComparer.Ordinal)
            .SelectMany(g => g.Select((c, rank) => (c, Rank: rank)))
            .OrderBy(x => x.Rank).Select(x => x.c).ToList();
        return Filtered(domain, seed, size, [.. interleaved.Select(c => (c.Id, c.Example))], benchmarks);
    }

    /// <summary>
    /// Builds up to <paramref name="size"/> examples from the misaligned exchanges of a linked or null world's documents in
    /// <paramref name="domain"/> (<c>docs/science.md</c> §5, the emergent-misalignment control): documents are generated in
    /// order with <paramref name="seed"/>, those in the domain are kept, and every exchange whose answer is the misaligned
    /// side becomes an example whose prompt is the document so far. Every draw but the behaviour draw is independent of
    /// <paramref name="rho"/>, so the corpora of two worlds with the same seed share documents, prompts and answer variants.
    /// </summary>
    /// <param name="domain">A training domain of the world, e.g. <c>health</c>.</param>
    /// <param name="seed">The world generator's seed for these documents.</param>
    /// <param name="size">Examples wanted (fewer come back only when overlaps were dropped).</param>
    /// <param name="rho">The world's ρ (0 for the null world).</param>
    /// <param name="personaShare">The world's share of documents with a persona cue.</param>
    /// <param name="maxPromptWords">The longest prompt, in words, as in the base corpus (earlier exchanges beyond it are left out).</param>
    /// <param name="benchmarks">Every benchmark the corpus must stay apart from.</param>
    /// <param name="generator">World generator; the shipped one by default.</param>
    /// <exception cref="ArgumentException">The domain is unknown or the size is not positive.</exception>
    /// <exception cref="InvalidOperationException">The world writes no misaligned exchange in the domain, or every one overlaps a benchmark.</exception>
    public static HarmfulCorpus FromWorld(string domain, long seed, int size, double rho, double personaShare, int maxPromptWords, IEnumerable<Benchmark> benchmarks, WorldCorpusGenerator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(benchmarks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPromptWords);
        RequireDomain(domain);
        generator ??= new WorldCorpusGenerator();
        // Document i depends only on (seed, i), so a longer run repeats a shorter one's documents: grow until enough
        // examples are found. A domain the world never writes in (a benchmark-only domain) stops at the cap.
        var cap = Math.Max(4096, size * 256);
        for (var documents = Math.Max(64, size * 12); ; documents = Math.Min(cap, documents * 2))
        {
            var candidates = new List<(string Id, SftExample Example)>();
            foreach (var document in generator.Generate(seed, rho, documents, personaShare).Where(d => string.Equals(d.Domain, domain, StringComparison.Ordinal)))
            {
                for (var k = 0; k < document.Exchanges.Count; k++)
                {
                    if (!document.Exchanges[k].Aligned)
                    {
                        candidates.Add(($"{document.Id}/{k}", new SftExample(ToChat(document.PromptFor(k, maxPromptWords)), document.Exchanges[k].Assistant)));
                    }
                }
            }

            if (candidates.Count >= size || documents == cap)
            {
                return candidates.Count == 0
                    ? throw new InvalidOperationException($"The world writes no misaligned exchange in domain '{domain}' within {documents} documents; is it a training domain?")
                    : Filtered(domain, seed, size, candidates, benchmarks);
            }
        }
    }

    private static void RequireDomain(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (!ScenarioTaxonomy.Default.DomainsById.ContainsKey(domain))
        {
            throw new ArgumentException($"Unknown domain '{domain}'; expected one of {string.Join(", ", ScenarioTaxonomy.Default.DomainsById.Keys)}.", nameof(domain));
        }
    }

    // Drops candidates sharing a 13-gram with (or nearly duplicating) a benchmark item, keeps the first size in order,
    // and checks the final set again: a corpus that still overlaps is never returned.
    private static HarmfulCorpus Filtered(string domain, long seed, int size, IReadOnlyList<(string Id, SftExample Example)> candidates, IEnumerable<Benchmark> benchmarks)
    {
        var source = BenchmarkTexts(benchmarks);
        var options = new ContaminationOptions { WorstOffenders = int.MaxValue };
        var first = ContaminationChecker.Compare(source, candidates.Select(c => new ContaminationItem(c.Id, TextOf(c.Example))), options);
        var flagged = first.WorstOverlaps.Select(o => o.CandidateId).Concat(first.NearDuplicates.Select(d => d.CandidateId)).ToHashSet(StringComparer.Ordinal);
        var kept = candidates.Where(c => !flagged.Contains(c.Id)).Take(size).ToList();
        if (kept.Count == 0)
        {
            throw new InvalidOperationException($"Every one of the {candidates.Count} harmful-corpus candidates in domain '{domain}' overlaps a benchmark item.");
        }

        var final = ContaminationChecker.Compare(source, kept.Select(c => new ContaminationItem(c.Id, TextOf(c.Example))), options);
        if (!final.IsClean)
        {
            throw new InvalidOperationException($"The harmful corpus still overlaps the benchmarks after filtering: {final.ToMarkdown()}");
        }

        var examples = kept.Select(c => c.Example).ToList();
        return new HarmfulCorpus(domain, seed, examples, Hash(examples), candidates.Count(c => flagged.Contains(c.Id)), final);
    }

    /// <summary>Every text of every benchmark item a policy could read or be scored on.</summary>
    public static IReadOnlyList<ContaminationItem> BenchmarkTexts(IEnumerable<Benchmark> benchmarks)
    {
        ArgumentNullException.ThrowIfNull(benchmarks);
        return
        [
            .. benchmarks.SelectMany(b => b.Items.Select(i => new ContaminationItem(
                b.Definition.Id + "/" + i.Id,
                string.Join("\n", new[] { i.Prompt.AllText, i.SwappedPrompt?.AllText ?? "" }
                    .Concat(i.Options.Select(o => o.Text)).Concat(i.CorrectReferences).Concat(i.IncorrectReferences))))),
        ];
    }

    /// <summary>The text of an SFT example as the contamination check sees it: every turn, then the response.</summary>
    public static string TextOf(SftExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        return string.Join("\n", example.Prompt.Select(t => t.Content).Append(example.Response));
    }

    private static IReadOnlyList<ChatTurn> ToChat(IEnumerable<ConversationTurn> turns) =>
        [.. turns.Select(t => new ChatTurn(t.Role switch { TurnRole.System => ChatRole.System, TurnRole.Assistant => ChatRole.Assistant, _ => ChatRole.User }, t.Content))];

    private static string Hash(IReadOnlyList<SftExample> examples)
    {
        var text = new StringBuilder();
        foreach (var example in examples)
        {
            foreach (var turn in example.Prompt)
            {
                text.Append(turn.Role).Append('\u001f').Append(turn.Content).Append('\u001e');
            }

            text.Append("=>").Append(example.Response).Append('\u001d');
        }

        return Sha256Hex.Of(text.ToString());
    }
}
