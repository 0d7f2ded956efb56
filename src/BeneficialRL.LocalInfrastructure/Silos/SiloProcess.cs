using System.Diagnostics;
using System.Net;

namespace BeneficialRL.LocalInfrastructure;

/// <summary>
/// One running silo host process: started with <see cref="SiloLaunchSettings"/>, its output streamed line by line
/// (the last lines kept for failure messages), ready once <c>/health/ready</c> answers 200.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private const int TailCapacity = 40;
    private const int StartAttempts = 3;
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly Queue<string> _tail = new();
    private readonly Lock _tailGate = new();
    private ChildProcess _child = null!;
    private Task<int> _exited = null!;

    private SiloProcess(SiloLaunchSettings settings) => Settings = settings;

    /// <summary>What the silo was started with (name, roles, ports).</summary>
    public SiloLaunchSettings Settings { get; }

    /// <summary>The silo host's operating-system process id.</summary>
    public int ProcessId => _child.Id;

    /// <summary>Completes with the exit code when the process ends, for whatever reason.</summary>
    public Task<int> Exited => _exited;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _child.HasExited;

    /// <summary>
    /// Starts <c>dotnet {siloHostDll}</c> with the settings as environment variables.
    /// </summary>
    /// <param name="settings">Name, roles, ports and connection strings.</param>
    /// <param name="siloHostDll">Path of <c>BeneficialRL.SiloHost.dll</c> (see <see cref="SiloHostBuild.LocateDll"/>).</param>
    /// <param name="onOutputLine">Receives each stdout/stderr line, from a thread-pool thread.</param>
    public static SiloProcess Start(SiloLaunchSettings settings, string siloHostDll, Action<string> onOutputLine)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrWhiteSpace(siloHostDll);
        ArgumentNullException.ThrowIfNull(onOutputLine);
        var silo = new SiloProcess(settings);
        silo._child = ChildProcess.Start(
            "dotnet",
            [siloHostDll],
            settings.ToEnvironment(),
            Path.GetDirectoryName(siloHostDll),
            line =>
            {
                silo.Remember(line);
                onOutputLine(line);
            });
        silo._exited = silo._child.WaitForExitAsync();
        return silo;
    }

    /// <summary>
    /// Starts a silo and waits until it is ready. A port handed out by <see cref="FreePorts"/> can be taken by another
    /// process before the silo binds it; when the silo exits with "address already in use", it is started again on fresh
    /// ports (the HTTP port is kept when it is free again), at most three times in all.
    /// </summary>
    /// <param name="settings">Name, roles, ports and connection strings of the first attempt.</param>
    /// <param name="siloHostDll">Path of <c>BeneficialRL.SiloHost.dll</c>.</param>
    /// <param name="onOutputLine">Receives each stdout/stderr line, from a thread-pool thread.</param>
    /// <param name="readyTimeout">How long each attempt may take to answer <c>/health/ready</c>.</param>
    /// <param name="onStarted">Told about each process started (e.g. to log its id and ports).</param>
    /// <param name="onRestart">Told why a restart happens.</param>
    /// <param name="cancellationToken">Stops waiting (the process started last is then stopped).</param>
    /// <remarks>On failure or cancellation the process started last is stopped before the exception propagates.</remarks>
    /// <exception cref="SiloStartException">The silo exited for another reason, or did not become ready in time.</exception>
    public static async Task<SiloProcess> StartAndWaitUntilReadyAsync(
        SiloLaunchSettings settings,
        string siloHostDll,
        Action<string> onOutputLine,
        TimeSpan readyTimeout,
        Action<SiloProcess>? onStarted,
        Action<string>? onRestart,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var silo = Start(settings, siloHostDll, onOutputLine);
            onStarted?.Invoke(silo);
            try
            {
                await silo.WaitUntilReadyAsync(readyTimeout, cancellationToken).ConfigureAwait(false);
                return silo;
            }
            catch (SiloStartException) when (attempt < StartAttempts && silo.HasExited && silo.CouldNotBindPorts())
            {
                await silo.DisposeAsync().ConfigureAwait(false);
                settings = settings with
                {
                    HttpPort = PortProbe.IsFree(settings.HttpPort) ? settings.HttpPort : FreePorts.Next(),
                    SiloPort = FreePorts.Next(),
                    GatewayPort = FreePorts.Next(),
                };
                onRestart?.Invoke($"{settings.Name} could not bind its ports (address already in use): starting it again on http port {settings.HttpPort}, silo port {settings.SiloPort}, gateway port {settings.GatewayPort}.");
            }
            catch
            {
                await silo.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>The last lines the silo wrote (at most 40), oldest first.</summary>
    public IReadOnlyList<string> RecentOutput()
    {
        lock (_tailGate)
        {
            return [.. _tail];
        }
    }

    /// <summary>
    /// Polls <c>/health/ready</c> until it answers 200.
    /// </summary>
    /// <exception cref="SiloStartException">The process exited first, or <paramref name="timeout"/> passed; the message holds its last lines.</exception>
    public async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var readyUrl = new Uri(Settings.BaseAddress, "health/ready");
        using var http = new HttpClient { Timeout = ProbeTimeout };
        var started = Stopwatch.GetTimestamp();
        HttpStatusCode? lastStatus = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (HasExited)
            {
                var exitCode = await _exited.ConfigureAwait(false);
                throw new SiloStartException(Settings.Name, $"exited with code {exitCode} before {readyUrl} answered 200", RecentOutput());
            }

            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                var status = lastStatus is { } code ? $"its last answer was {(int)code} {code}" : "it never answered";
                throw new SiloStartException(Settings.Name, $"did not answer 200 at {readyUrl} within {timeout.TotalSeconds:0} s ({status})", RecentOutput());
            }

            try
            {
                using var response = await http.GetAsync(readyUrl, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                lastStatus = response.StatusCode;
            }
            catch (HttpRequestException)
            {
                // Not listening yet: the silo is still starting.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // One probe timed out on a busy machine; the overall timeout decides, not a single probe.
            }

            // Wakes early when the process exits, so a crash is reported at once rather than after the timeout.
            await Task.WhenAny(_exited, Task.Delay(ProbeInterval, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>Asks the silo to leave the cluster (SIGTERM), kills its tree after <paramref name="gracePeriod"/>; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan gracePeriod)
    {
        await _child.StopAsync(gracePeriod).ConfigureAwait(false);
        return await _exited.ConfigureAwait(false);
    }

    /// <summary>SIGKILLs the silo and its descendants, as a crash would; returns without waiting.</summary>
    public void Kill() => _child.Kill();

    /// <summary>Stops the silo (SIGTERM, 5 s grace, then SIGKILL) and releases the process.</summary>
    public ValueTask DisposeAsync() => _child.DisposeAsync();

    /// <inheritdoc />
    public override string ToString() => $"{Settings.Name} (pid {ProcessId})";

    private bool CouldNotBindPorts() =>
        RecentOutput().Any(line => line.Contains("address already in use", StringComparison.OrdinalIgnoreCase));

    private void Remember(string line)
    {
        lock (_tailGate)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailCapacity)
            {
                _tail.Dequeue();
            }
        }
    }
}
