using System.Diagnostics.Metrics;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Grains.Telemetry;
using BeneficialRL.Grains.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BeneficialRL.Grains.Tests.Workers;

/// <summary>
/// The outcome rules all three kinds of queued work share (<see cref="WorkItemWorker"/>): before they were written
/// once, benchmark and persistence runs failed for good on a storage outage that experiment jobs survived.
/// </summary>
public sealed class WorkItemWorkerTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly List<(string Kind, string Outcome)> _outcomes = [];
    private readonly Worker _worker;
    private readonly List<string> _failures = [];

    public WorkItemWorkerTests()
    {
        var metrics = new WorkMetrics(_services.GetRequiredService<IMeterFactory>());
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == WorkMetrics.MeterName && instrument.Name == "beneficialrl.work.finished") listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var all = tags.ToArray().ToDictionary(t => t.Key, t => (string)t.Value!);
            _outcomes.Add((all["kind"], all["outcome"]));
        });
        _listener.Start();
        _worker = new Worker(metrics);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    [Fact]
    public async Task CompletedWork_IsCountedAsCompleted()
    {
        await _worker.AttemptAsync("run-1", attempts: 1, () => Task.CompletedTask, Fail, Ct);

        Assert.Equal([("benchmark-run", "completed")], _outcomes);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InfrastructureFailure_BeforeTheLastAttempt_LeavesTheItemForItsReminder()
    {
        await _worker.AttemptAsync("run-1", attempts: 1, () => throw new TransientInfrastructureException("storage is down"), Fail, Ct);

        Assert.Empty(_failures);
        Assert.Equal([("benchmark-run", "interrupted")], _outcomes);
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
        Assert.Equal([("benchmark-run", "failed")], _outcomes);
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

    private sealed class Worker(WorkMetrics metrics) : WorkItemWorker("benchmark-run", metrics, NullLogger.Instance)
    {
        public Task AttemptAsync(string key, int attempts, Func<Task> work, Func<string, Task> fail, CancellationToken ct) =>
            RunAttemptAsync(key, () => attempts, work, fail, ct);

        public Task AttemptAsync(string key, Func<int> attempts, Func<Task> work, Func<string, Task> fail, CancellationToken ct) =>
            RunAttemptAsync(key, attempts, work, fail, ct);

        protected override Task RunAsync(string key, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
