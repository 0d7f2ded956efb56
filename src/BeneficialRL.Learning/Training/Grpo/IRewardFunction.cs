namespace BeneficialRL.Learning.Training.Grpo;

/// <summary>
/// Scores a batch of completions. The whole batch is handed over at once (so a judge can batch its
/// calls), but each sample answers through its own task, so the trainer applies a per-sample
/// timeout: a slow or failing sample is counted and left out of the loss, never silently scored 0,
/// and can never hang the loop.
/// </summary>
public interface IRewardFunction
{
    /// <summary>Starts scoring; returns exactly one task per request, in request order.</summary>
    /// <param name="batch">Completions to score.</param>
    /// <param name="cancellationToken">Cancelled when the per-sample timeout elapses or the step is cancelled.</param>
    IReadOnlyList<Task<double>> ScoreBatch(IReadOnlyList<RewardRequest> batch, CancellationToken cancellationToken);
}
