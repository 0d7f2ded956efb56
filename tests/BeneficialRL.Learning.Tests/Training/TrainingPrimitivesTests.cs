using BeneficialRL.Learning.Training;
using BeneficialRL.Learning.Training.Grpo;

namespace BeneficialRL.Learning.Tests.Training;

public sealed class TrainingPrimitivesTests
{
    [Fact]
    public void WarmupCosineSchedule_RisesLinearlyThenDecaysToTheFloor()
    {
        var schedule = new WarmupCosineSchedule(1e-3, WarmupSteps: 10, TotalSteps: 110, MinimumRatio: 0.1);
        Assert.Equal(1e-4, schedule.LearningRateAt(0), 12);
        Assert.Equal(1e-3, schedule.LearningRateAt(9), 12);
        Assert.Equal(1e-3, schedule.LearningRateAt(10), 12);
        Assert.Equal(0.55e-3, schedule.LearningRateAt(60), 12);
        Assert.Equal(1e-4, schedule.LearningRateAt(110), 12);
        Assert.Equal(1e-4, schedule.LearningRateAt(500), 12);
    }

    [Fact]
    public void DeterministicRandom_RestoredState_ContinuesTheSameSequence()
    {
        var random = new DeterministicRandom(42);
        _ = random.NextDouble();
        var restored = new DeterministicRandom(random.GetState());
        Assert.Equal(Enumerable.Range(0, 5).Select(_ => random.NextUInt64()), Enumerable.Range(0, 5).Select(_ => restored.NextUInt64()));
        Assert.Throws<ArgumentException>(() => new DeterministicRandom([0UL, 0UL, 0UL, 0UL]));
    }

    [Fact]
    public async Task RewardEvaluator_ScoreBatchThrows_CountsEverySampleAsFailed()
    {
        var outcomes = await RewardEvaluator.EvaluateAsync(new ThrowingReward(), [Request(0), Request(1)], TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.All(outcomes, o =>
        {
            Assert.Equal(RewardStatus.Failed, o.Status);
            Assert.Contains("rubric missing", o.Error, StringComparison.Ordinal);
            Assert.True(double.IsNaN(o.Reward));
        });
    }

    [Fact]
    public async Task RewardEvaluator_WrongNumberOfTasks_ThrowsNamingTheReward()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RewardEvaluator.EvaluateAsync(new ShortReward(), [Request(0), Request(1)], TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken));
        Assert.Contains(nameof(ShortReward), ex.Message, StringComparison.Ordinal);
    }

    private static RewardRequest Request(int index) => new(new GrpoPrompt("p", []), index, "text", [1, 2], Truncated: false);

    private sealed class ThrowingReward : IRewardFunction
    {
        public IReadOnlyList<Task<double>> ScoreBatch(IReadOnlyList<RewardRequest> batch, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("rubric missing");
    }

    private sealed class ShortReward : IRewardFunction
    {
        public IReadOnlyList<Task<double>> ScoreBatch(IReadOnlyList<RewardRequest> batch, CancellationToken cancellationToken) => [Task.FromResult(1.0)];
    }
}
