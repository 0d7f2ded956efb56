using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BeneficialRL.Grains.Workers;

/// <summary>
/// Work items (grain keys) run one at a time on this silo, off every grain turn: tensor work is synchronous and
/// saturates the cores. Each item starts on a thread of its own (<see cref="TaskCreationOptions.LongRunning"/>), but
/// that thread is its own only until the item's first <c>await</c>; from there it continues on thread-pool threads,
/// like grain turns, so one item at a time is what keeps the grain scheduler responsive (libtorch runs the tensor
/// operations on its own intra-op threads). Grains enqueue their own key; enqueueing a key already queued or running
/// here is a no-op, so reminders can re-queue freely.
/// </summary>
public abstract partial class SerialWorkQueue(ILogger logger) : BackgroundService
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, Entry> _active = new(StringComparer.Ordinal);

    /// <summary>
    /// Queues <paramref name="key"/> unless it is already queued or running here. A key whose run was cancelled but has
    /// not ended yet (a pause, then a resume at once) runs again once it ended, instead of waiting for its reminder.
    /// </summary>
    public bool Enqueue(string key)
    {
        while (true)
        {
            var fresh = new Entry();
            if (_active.TryAdd(key, fresh)) return _queue.Writer.TryWrite(key);
            fresh.Cancellation.Dispose();
            if (!_active.TryGetValue(key, out var entry)) continue; // it ended meanwhile
            lock (entry)
            {
                if (entry.Ended) continue; // being removed: add it afresh
                if (!entry.Cancellation.IsCancellationRequested) return false;
                entry.RunAgain = true;
                return true;
            }
        }
    }

    /// <summary>
    /// Items queued or running here whose outcome is not recorded yet, counting one that was cancelled only if it is to
    /// run again: the load that placement compares between trainer silos (<see cref="Placement.LeastBusyTrainerPlacementDirector"/>).
    /// </summary>
    public int Pending => _active.Values.Count(entry => entry.IsPending);

    /// <summary>
    /// Records that <paramref name="key"/>'s outcome is written (its grain reached a final status), so it no longer counts
    /// in <see cref="Pending"/> though its run has a moment left to end. Called by the grain before it announces the
    /// outcome, so whoever places the next item on hearing of it reads a load without it.
    /// </summary>
    public void Settle(string key)
    {
        if (!_active.TryGetValue(key, out var entry)) return;
        lock (entry) entry.Settled = true;
    }

    /// <summary>Stops <paramref name="key"/> if it is queued or running here (and drops a run-again request).</summary>
    public void Cancel(string key)
    {
        if (!_active.TryGetValue(key, out var entry)) return;
        lock (entry)
        {
            entry.RunAgain = false;
            if (!entry.Ended) entry.Cancellation.Cancel();
        }
    }

    /// <summary>Does the work of <paramref name="key"/>; reports its own outcome to its grain.</summary>
    protected abstract Task RunAsync(string key, CancellationToken cancellationToken);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var key in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            var entry = _active[key];
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(entry.Cancellation.Token, stoppingToken);
            try
            {
                await Task.Factory.StartNew(() => RunAsync(key, linked.Token), linked.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                LogCancelled(logger, key);
            }
            catch (Exception e)
            {
                // RunAsync reports failures to its grain; anything escaping it must not stop the queue.
                LogEscaped(logger, e, key);
            }
            finally
            {
                bool runAgain;
                lock (entry)
                {
                    entry.Ended = true;
                    runAgain = entry.RunAgain && !stoppingToken.IsCancellationRequested;
                }

                _active.TryRemove(key, out _);
                entry.Cancellation.Dispose();
                if (runAgain) Enqueue(key);
            }
        }
    }

    /// <summary>A queued or running key; guarded by its own lock.</summary>
    private sealed class Entry
    {
        public CancellationTokenSource Cancellation { get; } = new();

        /// <summary>Enqueued again after it was cancelled: run it once more when this run ended.</summary>
        public bool RunAgain { get; set; }

        /// <summary>The run ended and the key is being removed.</summary>
        public bool Ended { get; set; }

        /// <summary>The item's grain recorded its outcome (<see cref="Settle"/>).</summary>
        public bool Settled { get; set; }

        /// <summary>Counts in <see cref="Pending"/>.</summary>
        public bool IsPending
        {
            get
            {
                lock (this) return !Ended && !Settled && (!Cancellation.IsCancellationRequested || RunAgain);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Work item {Key} stopped: cancelled")]
    private static partial void LogCancelled(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Error, Message = "Work item {Key} ended with an unreported error")]
    private static partial void LogEscaped(ILogger logger, Exception exception, string key);
}
