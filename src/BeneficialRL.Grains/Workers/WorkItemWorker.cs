using BeneficialRL.Contracts.Resources;
using BeneficialRL.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace BeneficialRL.Grains.Workers;

/// <summary>
/// The outcome rules every kind of queued work shares (experiment jobs, benchmark runs, persistence runs), written
/// once: a failure of the infrastructure that outlived its retries leaves the item running for its resume reminder to
/// queue it again (up to <see cref="TransientFailures.MaxAttempts"/> attempts); any other failure fails it, unless a
/// user paused or cancelled it meanwhile (their word stands); a cancellation is not a failure. Every outcome is counted
/// on the <see cref="WorkMetrics"/> under <paramref name="kind"/>.
/// </summary>
public abstract partial class WorkItemWorker(string kind, WorkMetrics metrics, ILogger logger) : SerialWorkQueue(logger)
{
    private readonly ILogger _logger = logger;

    /// <summary>The silo's work metrics.</summary>
    protected WorkMetrics Metrics { get; } = metrics;

    /// <summary>
    /// Runs <paramref name="work"/> for the item <paramref name="key"/> under the shared outcome rules;
    /// <paramref name="attempts"/> reads the item's attempts so far when a failure is judged, <paramref name="fail"/>
    /// records a failure on the item's grain.
    /// </summary>
    protected async Task RunAttemptAsync(string key, Func<int> attempts, Func<Task> work, Func<string, Task> fail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(fail);
        try
        {
            await work();
            Metrics.Finished(kind, "completed");
        }
        catch (Exception e) when (!IsCancellation(e, cancellationToken) && TransientFailures.IsTransient(e) && attempts() < TransientFailures.MaxAttempts)
        {
            // Storage or a silo failed beyond its retries: the item stays running, and its resume reminder queues it
            // again here or elsewhere (jobs resume from their last checkpoint).
            LogInterrupted(_logger, e, key, attempts());
            Metrics.Finished(kind, "interrupted");
        }
        catch (Exception e) when (!IsCancellation(e, cancellationToken))
        {
            LogFailed(_logger, e, key);
            Metrics.Finished(kind, "failed");
            try
            {
                await fail(e.Message);
            }
            catch (InvalidResourceStateException)
            {
                // Paused or cancelled meanwhile: the user's word stands.
            }
        }
    }

    private static bool IsCancellation(Exception e, CancellationToken cancellationToken) => e is OperationCanceledException && cancellationToken.IsCancellationRequested;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Work item {Key} interrupted by an infrastructure failure on attempt {Attempt}; its reminder queues it again")]
    private static partial void LogInterrupted(ILogger logger, Exception exception, string key, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Work item {Key} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string key);
}
