using System.Globalization;
using System.Net.Sockets;

namespace BeneficialRL.LocalInfrastructure;

/// <summary>
/// A throw-away redis-server on a free loopback port with persistence off and its own temporary folder,
/// for Orleans clustering and reminders when several silos run locally.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private const int StartAttempts = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly ChildProcess _process;
    private readonly string _directory;

    private RedisServer(ChildProcess process, int port, string directory)
    {
        _process = process;
        _directory = directory;
        Port = port;
        ConnectionString = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}");
    }

    /// <summary><c>127.0.0.1:{port}</c>, the StackExchange.Redis configuration form.</summary>
    public string ConnectionString { get; }

    /// <summary>The port redis-server listens on.</summary>
    public int Port { get; }

    /// <summary>The id of the redis-server process.</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// Installs redis-server when missing (see <see cref="DebianPackages"/>), starts it on a free port of
    /// 127.0.0.1 with <c>--save "" --appendonly no</c> and returns once it answers PING.
    /// </summary>
    /// <exception cref="InvalidOperationException">redis-server is missing, or did not answer PING within 30 s.</exception>
    public static async Task<RedisServer> StartAsync(Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        await DebianPackages.EnsureInstalledAsync("redis-server", "redis-server", log, cancellationToken).ConfigureAwait(false);
        var redisServer = ExecutableSearch.FindOnPath("redis-server")!;
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePorts.Next();
            var directory = Directory.CreateTempSubdirectory("beneficialrl-redis-").FullName;
            var tail = new OutputTail(capacity: 30);
            var process = ChildProcess.Start(
                redisServer,
                [
                    "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                    "--save", string.Empty, "--appendonly", "no", "--dir", directory,
                ],
                new Dictionary<string, string?>(),
                directory,
                line =>
                {
                    tail.Add(line);
                    log?.Invoke(line);
                });
            var server = new RedisServer(process, port, directory);
            try
            {
                await WaitForPongAsync(process, port, cancellationToken).ConfigureAwait(false);
                return server;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await server.DisposeAsync().ConfigureAwait(false);
                // The port may have been taken between FreePorts.Next() and redis-server's bind.
                if (process.HasExited && tail.Contains("Address already in use") && attempt < StartAttempts)
                {
                    continue;
                }

                throw new InvalidOperationException(
                    $"redis-server did not answer PING on 127.0.0.1:{port} within {ReadyTimeout.TotalSeconds:0} s" +
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

    /// <summary>Stops redis-server (kills its tree), waits for it to exit and deletes its temporary folder.</summary>
    public async ValueTask DisposeAsync()
    {
        _process.Kill();
        await _process.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the folder is under the temp directory and holds no data (persistence is off).
        }
    }

    /// <summary>Sends the inline command <c>PING</c> over raw TCP; true when the reply is <c>+PONG</c>.</summary>
    internal static async Task<bool> AnswersPingAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            var buffer = new byte[7];
            var read = await stream.ReadAtLeastAsync(buffer, 5, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return read >= 5 && buffer.AsSpan(0, 5).SequenceEqual("+PONG"u8);
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

    private static async Task WaitForPongAsync(ChildProcess process, int port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadyTimeout);
        while (!await AnswersPingAsync(port, timeout.Token).ConfigureAwait(false))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("redis-server exited during start-up.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token).ConfigureAwait(false);
        }
    }
}
