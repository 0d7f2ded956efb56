using BeneficialRL.Evals.Definitions;
using BeneficialRL.Scenarios.Generation;
using BeneficialRL.Scenarios.Schema;
using BeneficialRL.Scenarios.Taxonomy;

namespace BeneficialRL.Evals.HeldOut;

/// <summary>
/// The held-out trait evaluation, a suite of its own: one rubric-graded generate-grade benchmark per
/// held-out trait (truthfulness, metacognitive transparency, corrigibility, downside-aware planning,
/// power-asymmetry awareness, anti-hierarchy governance, universalizable fairness), built from the
/// Scenarios generator's held-out split (separate templates from training) and graded by the
/// Scenarios built-in judge on each scenario's own rubric.
/// </summary>
public static class HeldOutTraitSuite
{
    /// <summary>The seed of the published held-out suite.</summary>
    public const long DefaultSeed = 7;

    /// <summary>Scenarios per held-out trait × domain cell (12 domains × 10 = 120 items per trait).</summary>
    public const int DefaultPerCell = 10;

    /// <summary>One benchmark per held-out trait.</summary>
    public static IReadOnlyList<Benchmark> Generate(long seed = DefaultSeed, int perCell = DefaultPerCell, ScenarioGenerator? generator = null)
    {
        generator ??= new ScenarioGenerator();
        var taxonomy = ScenarioTaxonomy.Default;
        var byTrait = generator.GenerateHeldOut(seed, perCell).GroupBy(s => s.Trait, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        return [.. taxonomy.HeldOutTraits.Select(trait => Build(trait, byTrait.TryGetValue(trait.Id, out var list) ? list : [], seed))];
    }

    private static Benchmark Build(TraitDefinition trait, IReadOnlyList<Scenario> scenarios, long seed)
    {
        var items = scenarios.Select(s => new BenchmarkItem(
            s.Id,
            new BenchmarkPrompt(
                s.Turns.FirstOrDefault(t => t.Role == TurnRole.System)?.Content,
                [.. s.Turns.Where(t => t.Role != TurnRole.System)]),
            s.Domain)
        {
            Rubric = s.Rubric,
            Tags = [s.Pressure],
        }).ToList();
        var definition = new BenchmarkDefinition(
            $"held-out-{trait.Id}",
            $"Held-out trait: {trait.Name}",
            BenchmarkFamilies.HeldOutTraits,
            [trait.Id],
            [],
            items.Any(i => i.Prompt.Turns.Count > 1) ? BenchmarkFormat.MultiTurn : BenchmarkFormat.GenerateGrade,
            BenchmarkPolarity.GraderScore,
            new ItemSource(ItemSource.HeldOutKind, $"{ScenarioGenerator.GeneratorName}/{ScenarioGenerator.GeneratorVersion}", "held-out split", seed),
            GraderSpec.Rubric,
            "1",
            "",
            0)
        {
            Description = trait.Definition,
        };
        return Benchmark.Create(definition, items);
    }
}
