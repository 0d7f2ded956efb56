using BeneficialRL.Contracts.Resources;
using BeneficialRL.Grains.Workers;
using Microsoft.Extensions.Logging.Abstractions;

namespace BeneficialRL.Grains.Tests.Workers;

/// <summary>
/// The outcome rules all three kinds of queued work share (<see cref="WorkItemWorker"/>): before they were written
/// once, benchmark and persistence runs failed for good on a storage outage that experiment jobs survived.
/// </summary>
public sealed class WorkItemWorkerTests
{
    private readonly Worker _worker = new();
    private readonly List<string> _failures = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InfrastructureFailure_BeforeTheLastAttempt_LeavesTheItemForItsReminder()
    {
        await _worker.AttemptAsync("run-1", attempts: 1, () => throw new TransientInfrastructureException("storage is down"), Fail, Ct);

        Assert.Empty(_failures);
    }

    [Fact]
    public async Task InfrastructureFailure_OnTheLastAttempt_FailsTheItemWithTheError()
    {
        await _worker.AttemptAsync("run-1", TransientFailures.MaxAttempts, () => throw new TransientInfrastructureException("storage is down"), Fail, Ct);

        Assert.Equal(["storage is down"], _failures);
    }

    [Fact]
    public async Task FailureOfTheWork_FailsTheItemAtOnce()
    {
        await _worker.AttemptAsync("run-1", attempts: 1, () => throw new InvalidDataException("checkpoint 'c' no longer exists"), Fail, Ct);

        Assert.Equal(["checkpoint 'c' no longer exists"], _failures);
    }

    [Fact]
    public async Task Cancellation_IsNotAFailure_ItReachesTheQueueAsACancellation()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() =>
            _worker.AttemptAsync("run-1", attempts: 1, () => throw new OperationCanceledException(cancellation.Token), Fail, cancellation.Token));

        Assert.Empty(_failures);
    }

    [Fact]
    public async Task FailureRefusedBecauseAUserStoppedTheItem_IsSwallowed()
    {
        await _worker.AttemptAsync("run-1", attempts: 1, () => throw new InvalidDataException("broken"),
            _ => throw new InvalidResourceStateException("Benchmark run 'run-1' is Cancelled and cannot fail."), Ct);
    }

    [Fact]
    public async Task AttemptsAreReadWhenTheFailureIsJudged_NotWhenTheWorkStarts()
    {
        // The work marks the item running, which counts the attempt; the judgement must see that count.
        var attempts = TransientFailures.MaxAttempts - 1;
        await _worker.AttemptAsync("run-1", () => attempts, () =>
        {
            attempts++;
            throw new TransientInfrastructureException("storage is down");
        }, Fail, Ct);

        Assert.Equal(["storage is down"], _failures);
    }

    private Task Fail(string error)
    {
        _failures.Add(error);
        return Task.CompletedTask;
    }

    private sealed class Worker() : WorkItemWorker(NullLogger.Instance)
    {
        public Task AttemptAsync(string key, int attempts, Func<Task> work, Func<string, Task> fail, CancellationToken ct) =>
            RunAttemptAsync(key, () => attempts, work, fail, ct);

        public Task AttemptAsync(string key, Func<int> attempts, Func<Task> work, Func<string, Task> fail, CancellationToken ct) =>
            RunAttemptAsync(key, attempts, work, fail, ct);

        protected override Task RunAsync(string key, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
