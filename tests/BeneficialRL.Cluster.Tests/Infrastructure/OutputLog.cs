using System.Collections.Concurrent;

namespace BeneficialRL.Cluster.Tests.Infrastructure;

/// <summary>
/// Collects a child's output lines (also echoed to the test output) and lets a test wait for a line, with a timeout
/// whose message names what was awaited and quotes the last lines.
/// </summary>
internal sealed class OutputLog(string name)
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];
    private readonly Lock _gate = new();

    /// <summary>Records one line.</summary>
    public void Add(string line)
    {
        _lines.Enqueue(line);
        TestContext.Current.TestOutputHelper?.WriteLine($"[{name}] {line}");
        lock (_gate)
        {
            foreach (var (text, seen) in _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)))
            {
                seen.TrySetResult();
            }
        }
    }

    /// <summary>Every line so far.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>Waits until a line containing <paramref name="text"/> appears (or has appeared).</summary>
    /// <exception cref="TimeoutException">It did not appear within <paramref name="timeout"/>, or <paramref name="stopWaiting"/> completed first.</exception>
    public async Task WaitForLineAsync(string text, TimeSpan timeout, Task stopWaiting, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_lines.Any(line => line.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }

            _waiters.Add((text, seen));
        }

        var finished = await Task.WhenAny(seen.Task, stopWaiting, Task.Delay(timeout, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        if (finished != seen.Task)
        {
            var why = finished == stopWaiting ? "the process exited first" : $"not within {timeout.TotalSeconds:0} s";
            throw new TimeoutException($"{name} never wrote a line containing '{text}' ({why}). Last lines:{Environment.NewLine}{string.Join(Environment.NewLine, _lines.TakeLast(40))}");
        }
    }
}
