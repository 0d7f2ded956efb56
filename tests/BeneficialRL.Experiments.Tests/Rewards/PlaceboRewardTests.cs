using BeneficialRL.Experiments.Mixtures;
using BeneficialRL.Experiments.Rewards;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Learning.Training.Grpo;

namespace BeneficialRL.Experiments.Tests.Rewards;

public sealed class PlaceboRewardTests
{
    [Fact]
    public async Task ScoreBatch_ShuffledTraitSlice_SameRewardsOnOtherCompletionsAndStandardTasksUntouched()
    {
        var placebo = ExperimentPresets.Get("control-placebo").Arms.Single(a => a.Name == "placebo");
        var traits = placebo.Slices[0] with { ScenariosPerCell = 1 };
        var pool = PromptPools.Build(traits, trainAllTraits: true).Take(6).ToList();
        var task = PromptPools.Build(placebo.Slices[1] with { TasksPerFamily = 2 })[0];
        // Each scenario answered by its own beneficial reference and by a failure: rewards that differ by completion.
        var batch = pool.SelectMany(p => new[] { p.Scenario!.Beneficial.Text, p.Scenario.References[^1].Text }.Select((text, s) => Request(p, s, text)))
            .Append(Request(task, 0, task.Task!.ExpectedAnswer ?? "0"))
            .ToList();

        var honest = await Task.WhenAll(new MixtureRewardFunction([traits with { ShuffleRewards = false }, placebo.Slices[1]]).ScoreBatch(batch, TestContext.Current.CancellationToken));
        var shuffled = await Task.WhenAll(new MixtureRewardFunction(placebo.Slices).ScoreBatch(batch, TestContext.Current.CancellationToken));
        var again = await Task.WhenAll(new MixtureRewardFunction(placebo.Slices).ScoreBatch(batch, TestContext.Current.CancellationToken));

        Assert.Equal(honest[..^1].Order(), shuffled[..^1].Order());
        Assert.NotEqual(honest[..^1], shuffled[..^1]);
        Assert.Equal(honest[^1], shuffled[^1]);
        Assert.Equal(shuffled, again);
    }

    [Fact]
    public void Validate_ShuffleOnStandardTasks_IsAnError()
    {
        var definition = ExperimentPresets.Get("control-placebo");
        var placebo = definition.Arms[1];
        definition = definition with { Arms = [definition.Arms[0], placebo with { Slices = [placebo.Slices[0], placebo.Slices[1] with { ShuffleRewards = true }] }] };

        Assert.Contains(ExperimentValidator.Validate(definition), e => e.Path == "$.arms[1].slices[1].shuffleRewards");
    }

    private static RewardRequest Request(TrainingPrompt prompt, int sample, string completion) =>
        new(new GrpoPrompt(prompt.Id, [], prompt), sample, completion, [], false);
}
