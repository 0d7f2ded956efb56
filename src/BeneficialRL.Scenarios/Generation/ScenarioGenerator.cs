using System.Globalization;
using BeneficialRL.Scenarios.Schema;
using BeneficialRL.Scenarios.Taxonomy;
using BeneficialRL.Scenarios.Text;

namespace BeneficialRL.Scenarios.Generation;

/// <summary>
/// The built-in scenario generator: every trait × domain cell gets conversations built from the
/// data banks, deterministic by seed. Each item draws its slots from a random stream keyed by
/// (seed, split, trait, domain, index), so any item can be regenerated alone and streaming order
/// does not change content.
/// </summary>
public sealed class ScenarioGenerator
{
    /// <summary>Generator name recorded in provenance.</summary>
    public const string GeneratorName = "builtin";

    /// <summary>Bump when output for a given seed changes.</summary>
    public const string GeneratorVersion = "1.0.0";

    /// <summary>Training items per trait × domain cell by default: 180 cells × 112 = 20,160 scenarios.</summary>
    public const int DefaultTrainingPerCell = 112;

    /// <summary>Held-out items per held-out-trait × domain cell by default: 7 × 12 × 24 = 2,016 scenarios.</summary>
    public const int DefaultHeldOutPerCell = 24;

    private const int MaxAttemptsPerItem = 16;

    private readonly GenerationBanks _banks;
    private readonly ScenarioTaxonomy _taxonomy;

    /// <summary>Creates a generator over the given (default: shipped) banks and taxonomy.</summary>
    public ScenarioGenerator(GenerationBanks? banks = null, ScenarioTaxonomy? taxonomy = null)
    {
        _banks = banks ?? GenerationBanks.Default;
        _taxonomy = taxonomy ?? ScenarioTaxonomy.Default;
        foreach (var trait in _taxonomy.Traits)
        {
            if (!_banks.Training.ContainsKey(trait.Id))
            {
                throw new InvalidOperationException($"traits.yaml has no templates for trait '{trait.Id}'.");
            }

            if (trait.HeldOut && !_banks.HeldOut.ContainsKey(trait.Id))
            {
                throw new InvalidOperationException($"heldout.yaml has no templates for held-out trait '{trait.Id}'.");
            }
        }

        foreach (var domain in _taxonomy.Domains.Where(d => !_banks.Domains.ContainsKey(d.Id)))
        {
            throw new InvalidOperationException($"domains.yaml has no bank for domain '{domain.Id}'.");
        }
    }

    /// <summary>
    /// Streams the training split: for every trait × domain cell, <paramref name="perCell"/> distinct
    /// scenarios spread evenly over the pressures.
    /// </summary>
    public IEnumerable<Scenario> GenerateTraining(long seed, int perCell = DefaultTrainingPerCell, IReadOnlyCollection<string>? domains = null) =>
        GenerateSplit(ScenarioSplit.Train, _taxonomy.Traits, seed, perCell, domains);

    /// <summary>Streams the held-out split (held-out traits only), built from the separate held-out templates.</summary>
    public IEnumerable<Scenario> GenerateHeldOut(long seed, int perCell = DefaultHeldOutPerCell, IReadOnlyCollection<string>? domains = null) =>
        GenerateSplit(ScenarioSplit.HeldOut, _taxonomy.HeldOutTraits, seed, perCell, domains);

    /// <summary>
    /// Builds one scenario; the same arguments always give the same scenario, and it equals the streamed
    /// item at that index unless a (rare) text collision made the stream re-draw it.
    /// </summary>
    public Scenario Generate(string trait, string domain, ScenarioSplit split, long seed, int index) =>
        Build(trait, domain, split, seed, index, attempt: 0, out _);

    /// <summary>
    /// <see cref="Generate"/>, also returning the slot values the scenario was filled with, so other text
    /// (the base-corpus world's short answers) can refer to the same people, documents and figures.
    /// </summary>
    public (Scenario Scenario, IReadOnlyDictionary<string, string> Slots) GenerateWithSlots(string trait, string domain, ScenarioSplit split, long seed, int index)
    {
        var scenario = Build(trait, domain, split, seed, index, attempt: 0, out var slots);
        return (scenario, slots);
    }

    /// <summary>Draws a fresh set of slot values of <paramref name="domain"/> (people, documents, figures) from <paramref name="rng"/>.</summary>
    public IReadOnlyDictionary<string, string> DrawSlots(string domain, SplitMix64Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return DrawSlots(rng, _banks.Domains.TryGetValue(domain, out var bank) ? bank : throw new ArgumentException($"Unknown domain '{domain}'.", nameof(domain)));
    }

    private IEnumerable<Scenario> GenerateSplit(ScenarioSplit split, IReadOnlyList<TraitDefinition> traits, long seed, int perCell, IReadOnlyCollection<string>? domains)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perCell);
        var seen = new HashSet<ulong>();
        foreach (var trait in traits)
        {
            foreach (var domain in _taxonomy.Domains.Where(d => domains is null || domains.Contains(d.Id)))
            {
                for (var index = 0; index < perCell; index++)
                {
                    yield return BuildDistinct(trait.Id, domain.Id, split, seed, index, seen);
                }
            }
        }
    }

    private Scenario BuildDistinct(string trait, string domain, ScenarioSplit split, long seed, int index, HashSet<ulong> seen)
    {
        // Slot draws can collide; re-draw deterministically so every item in a split is distinct.
        for (var attempt = 0; attempt < MaxAttemptsPerItem; attempt++)
        {
            var scenario = Build(trait, domain, split, seed, index, attempt, out _);
            if (seen.Add(StableHash.Fnv1a64(scenario.UserText)))
            {
                return scenario;
            }
        }

        throw new InvalidOperationException($"Could not draw a distinct scenario for {trait}/{domain} item {index} in {MaxAttemptsPerItem} attempts; the banks are too small for the requested count.");
    }

    private Scenario Build(string trait, string domain, ScenarioSplit split, long seed, int index, int attempt, out Dictionary<string, string> usedSlots)
    {
        var splitKey = split == ScenarioSplit.Train ? "train" : "held-out";
        var rng = SplitMix64Random.For(seed, splitKey, trait, domain, index.ToString(CultureInfo.InvariantCulture), attempt.ToString(CultureInfo.InvariantCulture));
        var training = _banks.Training[trait];
        var templates = split == ScenarioSplit.Train ? training : _banks.HeldOut.GetValueOrDefault(trait)
            ?? throw new InvalidOperationException($"Trait '{trait}' has no held-out templates.");
        var bank = _banks.Domains[domain];

        // Pressures rotate so each cell is balanced; the cell offset avoids every cell starting with the same one.
        var pressures = _taxonomy.Pressures;
        var pressure = pressures[(index + (int)(StableHash.Fnv1a64(trait + "/" + domain) % (ulong)pressures.Count)) % pressures.Count].Id;
        var slots = DrawSlots(rng, bank);
        usedSlots = slots;
        // The held-out split uses its own framing and pressure phrasings, so it shares no sentence frame with training.
        var heldOut = split == ScenarioSplit.HeldOut;
        var pressureBank = _banks.Pressures[pressure];
        var framing = heldOut ? _banks.Framing.HeldOut ?? throw new InvalidOperationException("framing.yaml has no held_out section.") : _banks.Framing;
        var userLines = heldOut ? pressureBank.HeldOutUserLines : pressureBank.UserLines;
        var acknowledgements = heldOut ? pressureBank.HeldOutAcknowledgements : pressureBank.Acknowledgements;
        if (userLines.Count == 0 || acknowledgements.Count == 0)
        {
            throw new InvalidOperationException($"pressures.yaml: pressure '{pressure}' has no {(heldOut ? "held-out " : string.Empty)}user lines or acknowledgements.");
        }

        slots["ack"] = TemplateFiller.Fill(rng.Pick(acknowledgements), slots);

        var situationIndex = rng.Next(templates.Situations.Count);
        // Openers introduce the user; the context line names the people and documents the answers refer to.
        var context = rng.Pick(framing.ContextLines);
        var parts = new List<string> { rng.Pick(framing.Openers) };
        if (rng.Next(2) == 0)
        {
            parts.Add(context);
            parts.Add(templates.Situations[situationIndex]);
        }
        else
        {
            parts.Add(templates.Situations[situationIndex]);
            parts.Add(context);
        }

        var pressureLine = rng.Pick(userLines);
        var stake = rng.Pick(framing.Stakes);
        if (rng.Next(2) == 0)
        {
            parts.Add(pressureLine);
            parts.Add(stake);
        }
        else
        {
            parts.Add(stake);
            parts.Add(pressureLine);
        }

        parts.Add(rng.Pick(framing.Closers));
        var userTurn = TemplateFiller.Fill(string.Join(" ", parts), slots);
        var turns = new List<ConversationTurn>
        {
            new(TurnRole.System, TemplateFiller.Fill(rng.Pick(framing.SystemPrompts), slots)),
            new(TurnRole.User, userTurn),
        };

        var rubric = training.Rubric.Select(c => ToCriterion(c, slots, trait)).ToList();
        var references = BuildReferences(templates, rubric, slots, rng, trait, situationIndex);
        var suffix = split == ScenarioSplit.Train ? index.ToString("D4", CultureInfo.InvariantCulture) : "h" + index.ToString("D4", CultureInfo.InvariantCulture);
        var templateId = $"{(split == ScenarioSplit.Train ? "train" : "held-out")}/{trait}/situation-{situationIndex}";
        return new Scenario(
            $"{trait}-{domain}-{pressure}-{suffix}",
            trait,
            domain,
            pressure,
            split,
            turns,
            rubric,
            references,
            new Provenance(GeneratorName, GeneratorVersion, seed, templateId));
    }

    private Dictionary<string, string> DrawSlots(SplitMix64Random rng, DomainBank bank)
    {
        var people = _banks.People;
        var first = rng.Pick(people.FirstNames);
        var colleagueFirst = rng.Pick(people.FirstNames);
        while (colleagueFirst == first)
        {
            colleagueFirst = rng.Pick(people.FirstNames);
        }

        var metric = rng.Pick(bank.Metrics);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["first"] = first,
            ["name"] = $"{first} {rng.Pick(people.LastNames)}",
            ["colleague"] = $"{colleagueFirst} {rng.Pick(people.LastNames)}",
            ["role"] = rng.Pick(bank.Roles),
            ["org"] = rng.Pick(bank.Orgs),
            ["authority"] = rng.Pick(bank.Authorities),
            ["artifact"] = rng.Pick(bank.Artifacts),
            ["project"] = rng.Pick(bank.Projects),
            ["shortcut"] = rng.Pick(bank.Shortcuts),
            ["safeguard"] = rng.Pick(bank.Safeguards),
            ["group"] = rng.Pick(bank.Groups),
            ["consequence"] = rng.Pick(bank.Consequences),
            ["claim"] = rng.Pick(bank.Claims),
            ["decision"] = rng.Pick(bank.Decisions),
            ["metric"] = metric.Name,
            ["value"] = FormatValue(metric, rng),
            ["money"] = FormatMoney(bank.MoneyUnit, rng),
            ["deadline"] = rng.Pick(people.Deadlines),
            ["reply_by"] = rng.Pick(people.Deadlines),
            ["day"] = rng.Pick(people.Weekdays),
            ["hours"] = rng.Next(2, 40).ToString(CultureInfo.InvariantCulture),
            ["count"] = rng.Next(3, 19).ToString(CultureInfo.InvariantCulture),
        };
    }

    private static string FormatValue(MetricSpec metric, SplitMix64Random rng)
    {
        var value = metric.Min + (rng.NextDouble() * (metric.Max - metric.Min));
        var number = value.ToString("N" + metric.Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return string.IsNullOrEmpty(metric.Unit) ? number : $"{number} {metric.Unit}";
    }

    private static string FormatMoney(string unit, SplitMix64Random rng)
    {
        // Round amounts read like real budgets: 1,500 to 950,000 in steps that suit the magnitude.
        var magnitude = rng.Next(3);
        var amount = magnitude switch
        {
            0 => rng.Next(3, 100) * 500,
            1 => rng.Next(10, 200) * 1_000,
            _ => rng.Next(20, 95) * 10_000,
        };
        return unit + amount.ToString("N0", CultureInfo.InvariantCulture);
    }

    private static RubricCriterion ToCriterion(CriterionTemplate template, IReadOnlyDictionary<string, string> slots, string trait)
    {
        var polarity = template.Polarity switch
        {
            "must-do" => CriterionPolarity.MustDo,
            "must-avoid" => CriterionPolarity.MustAvoid,
            _ => throw new InvalidOperationException($"traits.yaml, trait '{trait}', criterion '{template.Id}': polarity '{template.Polarity}' is not must-do or must-avoid."),
        };
        var concepts = template.Concepts.Select(c => (IReadOnlyList<string>)c.AsReadOnly()).ToList();
        return new RubricCriterion(template.Id, TemplateFiller.Fill(template.Text, slots), polarity, template.Weight, new JudgeCheck(concepts, template.MinConcepts, template.RequiresNumber));
    }

    private static List<ReferenceResponse> BuildReferences(TraitTemplates templates, IReadOnlyList<RubricCriterion> rubric, IReadOnlyDictionary<string, string> slots, SplitMix64Random rng, string trait, int situationIndex)
    {
        var allPass = rubric.ToDictionary(c => c.Id, _ => true, StringComparer.Ordinal);
        var references = new List<ReferenceResponse>
        {
            new(ResponseKind.Beneficial, TemplateFiller.Fill(PickForSituation(templates.Beneficial, templates.Situations.Count, situationIndex, rng), slots), allPass),
        };
        foreach (var (kindName, failure) in templates.Failures)
        {
            if (!Enum.TryParse<ResponseKind>(kindName.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var kind) || kind == ResponseKind.Beneficial)
            {
                throw new InvalidOperationException($"Trait '{trait}': failure kind '{kindName}' is not a known failure response kind.");
            }

            var unknown = failure.Fails.FirstOrDefault(id => !allPass.ContainsKey(id));
            if (unknown is not null)
            {
                throw new InvalidOperationException($"Trait '{trait}', failure '{kindName}': fails names unknown criterion '{unknown}'.");
            }

            var labels = rubric.ToDictionary(c => c.Id, c => !failure.Fails.Contains(c.Id), StringComparer.Ordinal);
            references.Add(new ReferenceResponse(kind, TemplateFiller.Fill(PickForSituation(failure.Texts, templates.Situations.Count, situationIndex, rng), slots), labels));
        }

        return references;
    }

    // A list with one template per situation pairs by position (the answer fits that situation);
    // any other list is shared by all situations and drawn at random.
    private static string PickForSituation(List<string> templates, int situationCount, int situationIndex, SplitMix64Random rng) =>
        templates.Count == situationCount && situationCount > 1 ? templates[situationIndex] : rng.Pick(templates);
}
