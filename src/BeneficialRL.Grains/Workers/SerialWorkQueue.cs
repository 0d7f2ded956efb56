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
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _active = new(StringComparer.Ordinal);

    /// <summary>Queues <paramref name="key"/> unless it is already queued or running here.</summary>
    public bool Enqueue(string key)
    {
        if (!_active.TryAdd(key, new CancellationTokenSource())) return false;
        return _queue.Writer.TryWrite(key);
    }

    /// <summary>Stops <paramref name="key"/> if it is queued or running here.</summary>
    public void Cancel(string key)
    {
        if (_active.TryGetValue(key, out var cancellation)) cancellation.Cancel();
    }

    /// <summary>Does the work of <paramref name="key"/>; reports its own outcome to its grain.</summary>
    protected abstract Task RunAsync(string key, CancellationToken cancellationToken);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var key in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            var cancellation = _active[key];
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation.Token, stoppingToken);
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
                _active.TryRemove(key, out _);
                cancellation.Dispose();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Work item {Key} stopped: cancelled")]
    private static partial void LogCancelled(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Error, Message = "Work item {Key} ended with an unreported error")]
    private static partial void LogEscaped(ILogger logger, Exception exception, string key);
}
