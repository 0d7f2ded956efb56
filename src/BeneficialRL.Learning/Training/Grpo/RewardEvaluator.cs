namespace BeneficialRL.Learning.Training.Grpo;

/// <summary>Runs an <see cref="IRewardFunction"/> over a batch with a deadline per sample, classifying every outcome.</summary>
public static class RewardEvaluator
{
    /// <summary>Scores <paramref name="batch"/>; never throws for reward failures (only for cancellation of <paramref name="cancellationToken"/>).</summary>
    public static async Task<IReadOnlyList<RewardOutcome>> EvaluateAsync(IRewardFunction reward, IReadOnlyList<RewardRequest> batch, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reward);
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return [];
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        IReadOnlyList<Task<double>> tasks;
        try
        {
            tasks = reward.ScoreBatch(batch, deadline.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return [.. batch.Select(_ => new RewardOutcome(RewardStatus.Failed, double.NaN, $"ScoreBatch threw: {ex.Message}"))];
        }

        if (tasks.Count != batch.Count)
        {
            throw new InvalidOperationException($"{reward.GetType().Name}.ScoreBatch returned {tasks.Count} tasks for {batch.Count} requests.");
        }

        var outcomes = await Task.WhenAll(tasks.Select(task => AwaitOne(task, timeout, cancellationToken))).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return outcomes;
    }

    private static async Task<RewardOutcome> AwaitOne(Task<double> task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            // WaitAsync gives up on a task that ignores cancellation, so a hung reward cannot hang the step.
            var value = await task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return double.IsFinite(value)
                ? new RewardOutcome(RewardStatus.Scored, value)
                : new RewardOutcome(RewardStatus.Failed, double.NaN, $"Reward returned {value}.");
        }
        catch (TimeoutException)
        {
            return new RewardOutcome(RewardStatus.TimedOut, double.NaN, $"No reward within {timeout.TotalSeconds:0.###} s.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The reward honoured our deadline token: that is a timeout, not a failure.
            return new RewardOutcome(RewardStatus.TimedOut, double.NaN, $"Reward cancelled at the {timeout.TotalSeconds:0.###} s deadline.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new RewardOutcome(RewardStatus.Failed, double.NaN, ex.Message);
        }
    }
}
