using BeneficialRL.Experiments.Mixtures;
using BeneficialRL.Experiments.Specs;

namespace BeneficialRL.Experiments.Tests.Mixtures;

public sealed class MixtureSamplerTests
{
    private static readonly SliceSpec[] Slices =
    [
        new() { Name = "traits", Source = SliceSource.Scenarios, Share = 0.05, Grader = GraderKind.BuiltInJudge },
        new() { Name = "standard", Source = SliceSource.StandardTasks, Share = 0.95 },
    ];

    [Fact]
    public void Batch_EveryStep_HasExactlyPromptsPerStep()
    {
        var sampler = Sampler(8, 3);

        for (var step = 0; step < 50; step++)
        {
            Assert.Equal(8, sampler.Batch(step).Count);
        }
    }

    [Fact]
    public void Allocations_OverManySteps_MatchSharesWithinOnePrompt()
    {
        var sampler = Sampler(8, 3);

        var rows = sampler.Allocations(99);

        var traits = rows.Sum(r => r[0]);
        Assert.InRange(traits, (0.05 * 8 * 100) - 1, (0.05 * 8 * 100) + 1);
        for (var t = 1; t <= rows.Count; t++)
        {
            Assert.InRange(rows.Take(t).Sum(r => r[0]), (0.4 * t) - 1, (0.4 * t) + 1);
        }
    }

    [Fact]
    public void Batch_SameSeedAndStep_IsIdenticalAndOtherSeedDiffers()
    {
        var first = Sampler(8, 3).Batch(17).Select(p => p.Id).ToList();
        var again = Sampler(8, 3).Batch(17).Select(p => p.Id).ToList();
        var other = Sampler(8, 4).Batch(17).Select(p => p.Id).ToList();

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Batch_SlicesComeFromTheirOwnPools()
    {
        var batch = Sampler(20, 1).Batch(0);

        Assert.Equal(1, batch.Count(p => p.Slice == "traits"));
        Assert.All(batch.Where(p => p.Slice == "traits"), p => Assert.NotNull(p.Scenario));
        Assert.All(batch.Where(p => p.Slice == "standard"), p => Assert.NotNull(p.Task));
    }

    private static MixtureSampler Sampler(int promptsPerStep, long seed)
    {
        var traits = Enumerable.Range(0, 30).Select(i => new TrainingPrompt("traits", $"s{i}", FakeScenario(i), null)).ToList();
        var standard = new BeneficialRL.Scenarios.StandardTasks.StandardTaskGenerator().Generate(1, 20).Select(t => new TrainingPrompt("standard", t.Id, null, t)).ToList();
        return new MixtureSampler(Slices, [traits, standard], promptsPerStep, seed);
    }

    private static BeneficialRL.Scenarios.Schema.Scenario FakeScenario(int i) =>
        new BeneficialRL.Scenarios.Generation.ScenarioGenerator().Generate("truthfulness", "health", BeneficialRL.Scenarios.Schema.ScenarioSplit.Train, 1, i);
}
