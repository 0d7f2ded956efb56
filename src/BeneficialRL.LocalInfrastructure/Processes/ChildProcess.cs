using System.ComponentModel;
using System.Diagnostics;

namespace BeneficialRL.LocalInfrastructure;

/// <summary>
/// A child process started directly (no shell, no npx wrapper) with its stdout and stderr streamed line by
/// line. Disposing stops it and its whole process tree; so does the parent's exit.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan DisposeGracePeriod = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly string _fileName;

    // Completes when the process itself ends. Process.WaitForExitAsync also waits for the output pipes to
    // close, which an orphaned grandchild can hold open indefinitely.
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, string fileName)
    {
        _process = process;
        _fileName = fileName;
        Id = process.Id;
        process.Exited += (_, _) => _exited.TrySetResult();
        if (process.HasExited)
        {
            _exited.TrySetResult();
        }
    }

    private const string SetsidPath = "/usr/bin/setsid";

    /// <summary>The operating-system process id.</summary>
    public int Id { get; }

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/> passed verbatim (no shell quoting).
    /// </summary>
    /// <param name="fileName">Executable path or a name resolved on PATH.</param>
    /// <param name="arguments">Arguments, each passed as one argv entry.</param>
    /// <param name="environment">Variables to set on top of the inherited environment; a null value removes the variable.</param>
    /// <param name="workingDirectory">Working directory; null inherits the current one.</param>
    /// <param name="onOutputLine">Receives each stdout and stderr line, from a thread-pool thread.</param>
    /// <exception cref="InvalidOperationException">The executable could not be started.</exception>
    public static ChildProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        string? workingDirectory,
        Action<string> onOutputLine)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(onOutputLine);

        // Each child gets its own session (setsid execs in place, keeping the pid), so a terminal's Ctrl+C
        // reaches only the parent, which then stops its children in order: silos before Azurite.
        var ownSession = OperatingSystem.IsLinux() && File.Exists(SetsidPath);
        if (ownSession && (fileName.Contains('/', StringComparison.Ordinal) ? !File.Exists(fileName) : ExecutableSearch.FindOnPath(fileName) is null))
        {
            throw new InvalidOperationException($"Could not start '{fileName}': no such executable (on PATH or at that path).");
        }

        var startInfo = new ProcessStartInfo(ownSession ? SetsidPath : fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        if (ownSession)
        {
            startInfo.ArgumentList.Add(fileName);
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, line) => Forward(onOutputLine, line.Data);
        process.ErrorDataReceived += (_, line) => Forward(onOutputLine, line.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start '{fileName}': {exception.Message}", exception);
        }

        var child = new ChildProcess(process, fileName);
        ChildProcessRegistry.Add(child);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the process to end (and its output to be drained) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>SIGKILLs the process and every descendant at once, as a crash would; returns without waiting.</summary>
    public void Kill()
    {
        var descendants = ProcessTree.Descendants(Id);
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited: only its orphaned descendants (captured above) may remain.
        }

        KillAll(descendants);
    }

    /// <summary>
    /// Asks the process to stop (SIGTERM), waits up to <paramref name="gracePeriod"/>, then kills the whole
    /// tree; also kills any descendant still alive after the process itself exited.
    /// </summary>
    public async Task StopAsync(TimeSpan gracePeriod)
    {
        if (!_process.HasExited)
        {
            var descendants = ProcessTree.Descendants(Id);
            if (UnixSignals.TrySend(Id, UnixSignals.Terminate))
            {
                try
                {
                    await _exited.Task.WaitAsync(gracePeriod).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Did not stop in time: fall through to the kill below.
                }
            }

            Kill();
            KillAll(descendants);
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the process (SIGTERM, 5 s grace, then SIGKILL of the tree) and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(DisposeGracePeriod).ConfigureAwait(false);
        }
        finally
        {
            ChildProcessRegistry.Remove(this);
            _process.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Path.GetFileName(_fileName)} (pid {Id})";

    private static void KillAll(IEnumerable<int> processIds)
    {
        foreach (var processId in processIds)
        {
            UnixSignals.TrySend(processId, UnixSignals.Kill);
        }
    }

    private static void Forward(Action<string> onOutputLine, string? line)
    {
        if (line is null)
        {
            return;
        }

        try
        {
            onOutputLine(line);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ObjectDisposedException)
        {
            // The log sink has gone (e.g. a finished test's output helper); the child must keep running
            // and an exception here would tear down the parent from the output-reading thread.
        }
    }
}
