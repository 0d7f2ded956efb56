using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace BeneficialRL.LocalInfrastructure;

/// <summary>
/// A running Azurite (blob, queue and table services) on free loopback ports, started as
/// <c>node &lt;azurite.js&gt;</c> directly so disposing it leaves no process behind.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    /// <summary>The well-known development account every Azurite accepts.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The well-known development account key (public, documented by Microsoft; not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const int StartAttempts = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly AzuriteServerOptions _options;
    private readonly string _entryPoint;
    private ChildProcess _process;

    private AzuriteServer(ChildProcess process, AzuriteServerOptions options, string entryPoint, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _options = options;
        _entryPoint = entryPoint;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
        ConnectionString = string.Create(
            CultureInfo.InvariantCulture,
            $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};" +
            $"QueueEndpoint=http://127.0.0.1:{queuePort}/{AccountName};" +
            $"TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};");
    }

    /// <summary>Dev-account connection string with blob, queue and table endpoints on 127.0.0.1.</summary>
    public string ConnectionString { get; }

    /// <summary>Blob service port.</summary>
    public int BlobPort { get; }

    /// <summary>Queue service port.</summary>
    public int QueuePort { get; }

    /// <summary>Table service port.</summary>
    public int TablePort { get; }

    /// <summary>The id of the node process running Azurite.</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// Installs Azurite if needed, starts it on free ports of 127.0.0.1 with <c>--skipApiVersionCheck</c>
    /// (Azure.Storage.Blobs 12.30 speaks a service version Azurite 3.37 otherwise rejects) and <c>--loose</c>,
    /// and returns once the blob endpoint answers HTTP.
    /// </summary>
    /// <exception cref="InvalidOperationException">node is missing, the install failed, or Azurite did not answer within 30 s.</exception>
    public static async Task<AzuriteServer> StartAsync(AzuriteServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AzuriteServerOptions();
        var entryPoint = await AzuriteInstaller.EnsureInstalledAsync(options.Log, cancellationToken).ConfigureAwait(false);
        var node = ExecutableSearch.FindOnPath("node")
            ?? throw new InvalidOperationException("node not found: install Node.js (e.g. 'apt-get install nodejs') to run Azurite.");

        for (var attempt = 1; ; attempt++)
        {
            var (blobPort, queuePort, tablePort) = (FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
            var tail = new OutputTail(capacity: 30);
            var process = StartProcess(node, entryPoint, options, blobPort, queuePort, tablePort, tail);
            var server = new AzuriteServer(process, options, entryPoint, blobPort, queuePort, tablePort);
            try
            {
                await WaitUntilAnsweringAsync(process, blobPort, cancellationToken).ConfigureAwait(false);
                return server;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await server.DisposeAsync().ConfigureAwait(false);
                // A free port can be taken between FreePorts.Next() and Azurite's bind: try fresh ports.
                if (process.HasExited && tail.Contains("EADDRINUSE") && attempt < StartAttempts)
                {
                    continue;
                }

                throw new InvalidOperationException(
                    $"Azurite did not answer on 127.0.0.1:{blobPort} within {ReadyTimeout.TotalSeconds:0} s" +
                    $"{(process.HasExited ? " (it exited)" : string.Empty)}: {tail}",
                    exception);
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>
    /// Takes Azurite down, waits <paramref name="downtime"/>, and starts it again on the same ports over the same data
    /// directory, for chaos trials: clients see refused connections, then the same data — a storage outage.
    /// </summary>
    /// <remarks>
    /// It stops with SIGTERM, not SIGKILL: Azurite keeps its metadata in memory and saves it every few seconds, so a
    /// killed Azurite forgets acknowledged writes, which the real Azure Storage never does.
    /// </remarks>
    /// <exception cref="InvalidOperationException">Azurite keeps its data in memory (no <see cref="AzuriteServerOptions.DataDirectory"/>), so a restart would lose it; or it did not answer again.</exception>
    public async Task RestartAsync(TimeSpan downtime, CancellationToken cancellationToken = default)
    {
        if (_options.DataDirectory is null) throw new InvalidOperationException("An in-memory Azurite loses its data when restarted: give it a DataDirectory.");
        await _process.StopAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        await _process.DisposeAsync().ConfigureAwait(false);
        await Task.Delay(downtime, cancellationToken).ConfigureAwait(false);
        var node = ExecutableSearch.FindOnPath("node") ?? throw new InvalidOperationException("node not found.");
        var tail = new OutputTail(capacity: 30);
        _process = StartProcess(node, _entryPoint, _options, BlobPort, QueuePort, TablePort, tail);
        try
        {
            await WaitUntilAnsweringAsync(_process, BlobPort, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"Azurite did not answer again on 127.0.0.1:{BlobPort}: {tail}", exception);
        }
    }

    /// <summary>Kills Azurite (the whole process tree) and waits for it to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        _process.Kill();
        await _process.DisposeAsync().ConfigureAwait(false);
    }

    private static ChildProcess StartProcess(string node, string entryPoint, AzuriteServerOptions options, int blobPort, int queuePort, int tablePort, OutputTail tail)
    {
        if (options.DataDirectory is not null) Directory.CreateDirectory(options.DataDirectory);
        return ChildProcess.Start(
            node,
            [entryPoint, .. BuildArguments(options.DataDirectory, blobPort, queuePort, tablePort)],
            new Dictionary<string, string?>(),
            options.DataDirectory ?? Path.GetTempPath(),
            line =>
            {
                tail.Add(line);
                options.Log?.Invoke(line);
            });
    }

    private static IEnumerable<string> BuildArguments(string? dataDirectory, int blobPort, int queuePort, int tablePort)
    {
        string[] endpoints =
        [
            "--blobHost", "127.0.0.1", "--blobPort", blobPort.ToString(CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", queuePort.ToString(CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", tablePort.ToString(CultureInfo.InvariantCulture),
        ];
        return [.. endpoints, .. ServiceArguments(dataDirectory)];
    }

    /// <summary>
    /// The arguments after the endpoints, the same for every launcher: <c>--skipApiVersionCheck</c> (Azure.Storage.Blobs
    /// 12.30 speaks a service version Azurite 3.37 otherwise rejects), <c>--loose</c>, no product-style URLs, no access
    /// log, and the data in <paramref name="dataDirectory"/> or in memory when it is <see langword="null"/>.
    /// </summary>
    public static IReadOnlyList<string> ServiceArguments(string? dataDirectory) =>
    [
        "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl",
        // No access log: one line per blob request drowns the silos' own output once experiments run.
        "--silent",
        .. dataDirectory is null ? ["--inMemoryPersistence"] : (string[])["--location", dataDirectory],
    ];

    private static async Task WaitUntilAnsweringAsync(ChildProcess process, int blobPort, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadyTimeout);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("Azurite exited during start-up.");
            }

            if (await AnswersHttpAsync(blobPort, timeout.Token).ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token).ConfigureAwait(false);
        }
    }

    /// <summary>Whether an HTTP request to the port gets any HTTP status line back (even an error means the service is up).</summary>
    private static async Task<bool> AnswersHttpAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
            var stream = client.GetStream();
            var request = Encoding.ASCII.GetBytes($"GET /{AccountName}?comp=list HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            var buffer = new byte[16];
            var read = await stream.ReadAtLeastAsync(buffer, 5, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return read >= 5 && buffer.AsSpan(0, 5).SequenceEqual("HTTP/"u8);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
