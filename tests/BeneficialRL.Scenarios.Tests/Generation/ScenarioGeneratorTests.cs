using BeneficialRL.Scenarios.Contamination;
using BeneficialRL.Scenarios.Generation;
using BeneficialRL.Scenarios.Schema;
using BeneficialRL.Scenarios.Taxonomy;
using BeneficialRL.Scenarios.Text;

namespace BeneficialRL.Scenarios.Tests.Generation;

public sealed class ScenarioGeneratorTests
{
    private static readonly ScenarioGenerator Generator = new();
    private static readonly Lazy<List<Scenario>> FullTraining = new(() => [.. Generator.GenerateTraining(seed: 42)]);

    [Fact]
    public void ScenarioGenerator_DefaultTrainingSet_HasAtLeast20000DistinctScenariosAnd50PerCell()
    {
        var scenarios = FullTraining.Value;
        Assert.True(scenarios.Count >= 20_000, $"{scenarios.Count} scenarios");
        Assert.Equal(scenarios.Count, scenarios.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(scenarios.Count, scenarios.Select(s => s.UserText).Distinct(StringComparer.Ordinal).Count());
        var cells = scenarios.GroupBy(s => (s.Trait, s.Domain)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(15 * 12, cells.Count);
        Assert.All(cells, c => Assert.True(c.Value >= 50, $"{c.Key} has {c.Value}"));
        Assert.All(scenarios, s => Assert.Equal(ScenarioSplit.Train, s.Split));
        var pressures = scenarios.GroupBy(s => s.Pressure).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(ScenarioTaxonomy.Default.Pressures.Count, pressures.Count);
    }

    [Fact]
    public void ScenarioGenerator_EveryGeneratedScenario_PassesValidation()
    {
        foreach (var scenario in FullTraining.Value.Where((_, i) => i % 7 == 0).Concat(Generator.GenerateHeldOut(seed: 42)))
        {
            var errors = ScenarioValidator.Validate(scenario);
            Assert.True(errors.Count == 0, $"{scenario.Id}: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public void ScenarioGenerator_SameSeed_ProducesIdenticalScenarios()
    {
        var first = Generator.GenerateTraining(seed: 7, perCell: 3).Select(ScenarioJson.Serialize).ToList();
        var second = new ScenarioGenerator().GenerateTraining(seed: 7, perCell: 3).Select(ScenarioJson.Serialize).ToList();
        Assert.Equal(first, second);
        var single = Generator.Generate("truthfulness", "health", ScenarioSplit.Train, seed: 7, index: 2);
        Assert.Equal(ScenarioJson.Serialize(single), first[2]);
    }

    [Fact]
    public void ScenarioGenerator_DifferentSeed_ProducesDifferentConversations()
    {
        var a = Generator.GenerateTraining(seed: 1, perCell: 1).Select(s => s.UserText).ToList();
        var b = Generator.GenerateTraining(seed: 2, perCell: 1).Select(s => s.UserText).ToList();
        Assert.True(a.Zip(b).Count(p => p.First != p.Second) > a.Count * 0.9);
    }

    [Fact]
    public void ScenarioGenerator_HeldOutSplit_CoversHeldOutTraitsFromSeparateTemplates()
    {
        var heldOut = Generator.GenerateHeldOut(seed: 42).ToList();
        var heldOutTraits = ScenarioTaxonomy.Default.HeldOutTraits.Select(t => t.Id).ToHashSet();
        Assert.All(heldOut, s => Assert.Equal(ScenarioSplit.HeldOut, s.Split));
        Assert.Equal(heldOutTraits, heldOut.Select(s => s.Trait).ToHashSet());
        Assert.All(heldOut, s => Assert.StartsWith("held-out/", s.Provenance.Template, StringComparison.Ordinal));
        Assert.Empty(heldOut.Select(s => s.Id).Intersect(FullTraining.Value.Select(s => s.Id)));

        // The situation sentences come from separate templates: no held-out item is a near-duplicate of a training item.
        var report = ContaminationChecker.Compare(ContaminationItem.FromScenarios(FullTraining.Value), ContaminationItem.FromScenarios(heldOut));
        Assert.Equal(0, report.NearDuplicateCount);
    }

    [Fact]
    public void ScenarioGenerator_Conversations_ReadAsRealRequests()
    {
        foreach (var scenario in Generator.GenerateTraining(seed: 9, perCell: 1))
        {
            var user = scenario.Turns.Single(t => t.Role == TurnRole.User).Content;
            Assert.True(TextNormalizer.SplitSentences(user).Count >= 5, $"{scenario.Id}: few sentences: {user}");
            Assert.DoesNotContain("{", user, StringComparison.Ordinal);
            Assert.True(scenario.Rubric.Count is >= 3 and <= 4);
            Assert.True(scenario.References.Count(r => r.Kind != ResponseKind.Beneficial) >= 3);
            Assert.Equal(TurnRole.System, scenario.Turns[0].Role);
        }
    }

    [Fact]
    public void ScenarioGenerator_UserTurns_HaveHighDistinctNGramRatios()
    {
        var users = FullTraining.Value.Select(s => s.UserText).ToList();
        var distinct2 = TextVariety.DistinctN(users, 2);
        var distinct3 = TextVariety.DistinctN(users, 3);
        Assert.True(distinct3 > distinct2);
        Assert.True(TextVariety.DistinctN(users.Take(1), 1) > 0.5);
        Assert.InRange(distinct3, 0.01, 1);
    }
}
