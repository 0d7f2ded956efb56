using System.Collections.Concurrent;
using BeneficialRL.Grains.Workers;
using Microsoft.Extensions.Logging.Abstractions;

namespace BeneficialRL.Grains.Tests.Workers;

/// <summary>
/// The queue every worker shares: one key at a time, a key queued twice runs once, and a key paused and resumed at
/// once runs again when its cancelled run ended (before, the resume was dropped and the job waited for its reminder).
/// </summary>
public sealed class SerialWorkQueueTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Enqueue_WhileQueuedOrRunning_IsANoOp()
    {
        using var queue = new GatedQueue();
        await queue.StartAsync(Ct);
        Assert.True(queue.Enqueue("a"));
        await queue.WaitStartedAsync(1);
        Assert.False(queue.Enqueue("a"));
        queue.Release();
        await queue.WaitEndedAsync(1);

        await queue.StopAsync(Ct);
        Assert.Equal(["a:completed"], queue.Ended);
    }

    [Fact]
    public async Task Enqueue_AfterCancel_BeforeTheRunEnded_RunsTheKeyAgainOnceItEnded()
    {
        using var queue = new GatedQueue { HoldCancellation = true };
        await queue.StartAsync(Ct);
        queue.Enqueue("a");
        await queue.WaitStartedAsync(1);

        queue.Cancel("a"); // the run sees its cancellation but has not ended yet
        Assert.True(queue.Enqueue("a"));
        queue.ReleaseCancellation();
        await queue.WaitStartedAsync(2);
        queue.Release();
        await queue.WaitEndedAsync(2);

        await queue.StopAsync(Ct);
        Assert.Equal(["a:cancelled", "a:completed"], queue.Ended);
    }

    [Fact]
    public async Task Cancel_AfterARunAgainRequest_DropsIt()
    {
        using var queue = new GatedQueue { HoldCancellation = true };
        await queue.StartAsync(Ct);
        queue.Enqueue("a");
        await queue.WaitStartedAsync(1);

        queue.Cancel("a");
        queue.Enqueue("a");
        queue.Cancel("a"); // paused again before the first cancelled run ended
        queue.ReleaseCancellation();
        await queue.WaitEndedAsync(1);
        Assert.True(queue.Enqueue("b"));
        queue.Release();
        await queue.WaitEndedAsync(2);

        await queue.StopAsync(Ct);
        Assert.Equal(["a:cancelled", "b:completed"], queue.Ended);
    }

    [Fact]
    public async Task Pending_CountsQueuedAndRunningKeys_UntilSettledCancelledOrEnded()
    {
        using var queue = new GatedQueue();
        await queue.StartAsync(Ct);
        Assert.Equal(0, queue.Pending);
        queue.Enqueue("a");
        queue.Enqueue("b");
        queue.Enqueue("c");
        await queue.WaitStartedAsync(1);
        Assert.Equal(3, queue.Pending); // a running, b and c queued

        queue.Settle("a"); // its grain recorded the outcome; the run has a moment left
        Assert.Equal(2, queue.Pending);
        queue.Cancel("b"); // paused while queued
        Assert.Equal(1, queue.Pending);
        queue.Enqueue("b"); // resumed before its cancelled entry ended: it will run again
        Assert.Equal(2, queue.Pending);
        queue.Settle("nobody"); // a key not here changes nothing
        Assert.Equal(2, queue.Pending);

        for (var i = 0; i < 3; i++) queue.Release();
        await queue.WaitEndedAsync(3); // a, c, then b (its cancelled entry never started)
        Assert.Equal(["a:completed", "c:completed", "b:completed"], queue.Ended);
        while (queue.Pending != 0) await Task.Delay(10, Ct); // b's entry is removed just after its run returned

        await queue.StopAsync(Ct);
    }

    /// <summary>Runs hold until released; with <see cref="HoldCancellation"/>, a cancelled run ends only when that is released too.</summary>
    private sealed class GatedQueue() : SerialWorkQueue(NullLogger.Instance)
    {
        private readonly SemaphoreSlim _release = new(0);
        private readonly TaskCompletionSource _cancellationRelease = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentQueue<string> _started = new();
        private readonly ConcurrentQueue<string> _ended = new();

        public bool HoldCancellation { get; init; }

        public IReadOnlyList<string> Ended => [.. _ended];

        public void Release() => _release.Release();

        public void ReleaseCancellation() => _cancellationRelease.SetResult();

        public Task WaitStartedAsync(int count) => WaitAsync(() => _started.Count >= count);

        public Task WaitEndedAsync(int count) => WaitAsync(() => _ended.Count >= count);

        protected override async Task RunAsync(string key, CancellationToken cancellationToken)
        {
            _started.Enqueue(key);
            try
            {
                await _release.WaitAsync(cancellationToken);
                _ended.Enqueue($"{key}:completed");
            }
            catch (OperationCanceledException)
            {
                if (HoldCancellation) await _cancellationRelease.Task;
                _ended.Enqueue($"{key}:cancelled");
                throw;
            }
        }

        private static async Task WaitAsync(Func<bool> done)
        {
            while (!done()) await Task.Delay(10, Ct);
        }

        public override void Dispose()
        {
            _release.Dispose();
            base.Dispose();
        }
    }
}
