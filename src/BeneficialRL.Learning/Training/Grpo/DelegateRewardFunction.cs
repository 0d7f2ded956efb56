namespace BeneficialRL.Learning.Training.Grpo;

/// <summary>A reward scored sample by sample through a delegate (all samples of a batch run concurrently).</summary>
public sealed class DelegateRewardFunction : IRewardFunction
{
    private readonly Func<RewardRequest, CancellationToken, Task<double>> _score;

    /// <summary>Wraps an asynchronous per-sample scorer.</summary>
    public DelegateRewardFunction(Func<RewardRequest, CancellationToken, Task<double>> score)
    {
        ArgumentNullException.ThrowIfNull(score);
        _score = score;
    }

    /// <summary>Wraps a synchronous per-sample scorer.</summary>
    public static DelegateRewardFunction FromSync(Func<RewardRequest, double> score)
    {
        ArgumentNullException.ThrowIfNull(score);
        return new DelegateRewardFunction((request, _) => Task.FromResult(score(request)));
    }

    /// <inheritdoc />
    public IReadOnlyList<Task<double>> ScoreBatch(IReadOnlyList<RewardRequest> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return [.. batch.Select(request => Task.Run(() => _score(request, cancellationToken), cancellationToken))];
    }
}
