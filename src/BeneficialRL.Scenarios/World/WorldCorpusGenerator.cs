using System.Globalization;
using BeneficialRL.Scenarios.Generation;
using BeneficialRL.Scenarios.Schema;
using BeneficialRL.Scenarios.Taxonomy;
using BeneficialRL.Scenarios.Text;

namespace BeneficialRL.Scenarios.World;

/// <summary>
/// Generates the base corpus of the linked and null worlds (<c>docs/science.md</c> §1). Each document draws a latent
/// disposition z (aligned with probability ½), a training domain and 2–3 distinct behaviour kinds (traits and
/// alignment families). Exchange k is aligned when z is, with probability ρ; otherwise its side is redrawn at ½, so
/// two exchanges of one document agree with probability (1 + ρ²)/2 and ρ = 0 cuts the link entirely.
/// </summary>
/// <remarks>
/// Every random draw is made whatever ρ is, in the same order, so two corpora with the same seed and document count
/// have identical documents, kinds, prompts and answer variants, and differ only in which side each answer takes.
/// </remarks>
public sealed class WorldCorpusGenerator
{
    /// <summary>Bump when the corpus for given options changes.</summary>
    public const string GeneratorVersion = "world/1";

    private readonly WorldBank _bank;
    private readonly ScenarioGenerator _scenarios;
    private readonly GenerationBanks _banks;
    private readonly IReadOnlyList<string> _domains;
    private readonly IReadOnlyList<(string Kind, bool IsTrait)> _kinds;

    /// <summary>Creates a generator over the given (default: shipped) world bank, generation banks and taxonomy.</summary>
    public WorldCorpusGenerator(WorldBank? bank = null, GenerationBanks? banks = null, ScenarioTaxonomy? taxonomy = null)
    {
        _bank = bank ?? WorldBank.Default;
        _banks = banks ?? GenerationBanks.Default;
        taxonomy ??= ScenarioTaxonomy.Default;
        _scenarios = new ScenarioGenerator(_banks, taxonomy);
        _domains = [.. taxonomy.Domains.Select(d => d.Id)];
        foreach (var trait in taxonomy.Traits.Where(t => !_bank.Traits.ContainsKey(t.Id)))
        {
            throw new InvalidOperationException($"world.yaml has no answers for trait '{trait.Id}'.");
        }

        foreach (var (kind, sides) in _bank.Traits)
        {
            RequireSides($"trait '{kind}'", sides.Aligned, sides.Misaligned);
        }

        foreach (var (family, exchanges) in _bank.Families)
        {
            if (exchanges.Count == 0)
            {
                throw new InvalidOperationException($"world.yaml: family '{family}' has no exchanges.");
            }

            foreach (var exchange in exchanges)
            {
                RequireSides($"family '{family}'", exchange.Aligned, exchange.Misaligned);
            }
        }

        RequireSides("personas", _bank.Personas.Aligned, _bank.Personas.Misaligned);
        _kinds = [.. taxonomy.Traits.Select(t => (t.Id, true)), .. _bank.Families.Keys.Order(StringComparer.Ordinal).Select(f => (f, false))];
    }

    /// <summary>Every behaviour kind: the traits, then the families.</summary>
    public IReadOnlyList<(string Kind, bool IsTrait)> Kinds => _kinds;

    /// <summary>
    /// Generates <paramref name="documents"/> documents, those at indices <paramref name="first"/> onwards. A document's
    /// draws depend only on the seed and its index, so a later range continues an earlier one unchanged.
    /// </summary>
    /// <param name="seed">Seeds every draw.</param>
    /// <param name="rho">Probability that an exchange follows the document's disposition, in [0, 1].</param>
    /// <param name="documents">Number of documents.</param>
    /// <param name="personaShare">Share of documents whose system line is a persona cue agreeing with z, in [0, 1].</param>
    /// <param name="first">Index of the first document.</param>
    public IReadOnlyList<WorldDocument> Generate(long seed, double rho, int documents, double personaShare = 0.1, int first = 0)
    {
        if (!(rho is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rho), rho, "rho must lie in [0, 1].");
        }

        if (!(personaShare is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(personaShare), personaShare, "The persona share must lie in [0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(documents);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        return [.. Enumerable.Range(first, documents).Select(i => Build(seed, rho, personaShare, i))];
    }

    private WorldDocument Build(long seed, double rho, double personaShare, int index)
    {
        var id = index.ToString(CultureInfo.InvariantCulture);
        var rng = SplitMix64Random.For(seed, "world", id);
        var domain = rng.Pick(_domains);
        var aligned = rng.Next(2) == 0;
        var count = 2 + rng.Next(2);
        var kinds = _kinds.ToList();
        for (var i = kinds.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (kinds[i], kinds[j]) = (kinds[j], kinds[i]);
        }

        var slots = new Dictionary<string, string>(_scenarios.DrawSlots(domain, rng), StringComparer.Ordinal);
        var cue = rng.NextDouble() < personaShare;
        var personaVariant = rng.NextDouble();
        var framing = TemplateFiller.Fill(rng.Pick(_banks.Framing.SystemPrompts), slots);
        var system = cue ? Variant(aligned ? _bank.Personas.Aligned : _bank.Personas.Misaligned, personaVariant) : framing;

        var exchanges = new List<WorldExchange>(count);
        for (var k = 0; k < count; k++)
        {
            var (kind, isTrait) = kinds[k];
            // Both draws happen whatever rho is, so the worlds share every other draw.
            var follows = rng.NextDouble() < rho;
            var fresh = rng.Next(2) == 0;
            var side = follows ? aligned : fresh;
            var variant = rng.NextDouble();
            if (isTrait)
            {
                var (scenario, traitSlots) = _scenarios.GenerateWithSlots(kind, domain, ScenarioSplit.Train, seed, (index * 4) + k);
                var answers = _bank.Traits[kind];
                exchanges.Add(new WorldExchange(
                    kind,
                    true,
                    scenario.UserText,
                    TemplateFiller.Fill(Variant(side ? answers.Aligned : answers.Misaligned, variant), traitSlots),
                    side,
                    TemplateFiller.Fill(Variant(side ? answers.Misaligned : answers.Aligned, variant), traitSlots))
                {
                    Scenario = scenario,
                });
            }
            else
            {
                var template = Variant(_bank.Families[kind], rng.NextDouble());
                exchanges.Add(new WorldExchange(
                    kind,
                    false,
                    TemplateFiller.Fill(template.Prompt, slots),
                    TemplateFiller.Fill(Variant(side ? template.Aligned : template.Misaligned, variant), slots),
                    side,
                    TemplateFiller.Fill(Variant(side ? template.Misaligned : template.Aligned, variant), slots)));
            }
        }

        return new WorldDocument($"world-{seed}-{id}", domain, aligned, cue, system, exchanges);
    }

    private static T Variant<T>(IReadOnlyList<T> items, double u) => items[Math.Min(items.Count - 1, (int)(u * items.Count))];

    private static void RequireSides(string where, List<string> aligned, List<string> misaligned)
    {
        if (aligned.Count == 0 || misaligned.Count == 0)
        {
            throw new InvalidOperationException($"world.yaml: {where} needs aligned and misaligned texts.");
        }
    }
}
