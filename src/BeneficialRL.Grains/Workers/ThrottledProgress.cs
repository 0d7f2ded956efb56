namespace BeneficialRL.Grains.Workers;

/// <summary>
/// Forwards progress from a worker thread to a grain at most once per <paramref name="interval"/> (fire and forget:
/// the work never waits on the grain); reports that <paramref name="isFinal"/> calls final always go through.
/// </summary>
/// <typeparam name="T">The progress value.</typeparam>
public sealed class ThrottledProgress<T>(Func<T, Task> send, TimeSpan interval, Func<T, bool>? isFinal = null) : IProgress<T>
{
    private long _lastTicks = long.MinValue / 2;

    /// <inheritdoc />
    public void Report(T value)
    {
        var now = Environment.TickCount64;
        if (isFinal?.Invoke(value) != true && now - Interlocked.Read(ref _lastTicks) < interval.TotalMilliseconds) return;
        Interlocked.Exchange(ref _lastTicks, now);
        // A lost progress report is harmless: the next one, or the outcome, supersedes it.
        _ = send(value).ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
    }
}
