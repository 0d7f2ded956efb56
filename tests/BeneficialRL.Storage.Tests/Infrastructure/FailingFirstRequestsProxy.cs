using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BeneficialRL.Storage.Tests.Infrastructure;

/// <summary>
/// A loopback TCP proxy in front of a real server that answers the first <paramref name="failures"/> connections
/// with <c>503 Service Unavailable</c> and pipes every later one through untouched: a transient outage made of real
/// sockets, with nothing faked inside the storage code.
/// </summary>
internal sealed class FailingFirstRequestsProxy(int targetPort, int failures) : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _connections = [];
    private Task? _acceptLoop;
    private int _accepted;
    private int _failed;
    private int _forwarded;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections answered with 503.</summary>
    public int FailedConnections => Volatile.Read(ref _failed);

    /// <summary>Connections passed through to the real server.</summary>
    public int ForwardedConnections => Volatile.Read(ref _forwarded);

    public void Start()
    {
        _listener.Start();
        _acceptLoop = AcceptAsync(_stopping.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        try
        {
            await (_acceptLoop ?? Task.CompletedTask);
        }
        catch (OperationCanceledException)
        {
        }

        lock (_connections)
        {
            _connections.RemoveAll(task => task.IsCompleted);
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is ObjectDisposedException or SocketException or OperationCanceledException)
            {
                return;
            }

            Task task;
            if (Interlocked.Increment(ref _accepted) <= failures)
            {
                Interlocked.Increment(ref _failed);
                task = FailAsync(client, cancellationToken);
            }
            else
            {
                task = ForwardAsync(client, cancellationToken);
            }

            lock (_connections)
            {
                _connections.Add(task);
            }
        }
    }

    private static async Task FailAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            var stream = client.GetStream();
            // Read the request head so the client sees a response, not a reset, then close.
            var head = new StringBuilder();
            var buffer = new byte[4096];
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    return;
                }

                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            await stream.WriteAsync("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), cancellationToken);
        }
    }

    private async Task ForwardAsync(TcpClient client, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _forwarded);
        using (client)
        using (var server = new TcpClient())
        {
            await server.ConnectAsync(IPAddress.Loopback, targetPort, cancellationToken);
            var clientStream = client.GetStream();
            var serverStream = server.GetStream();
            try
            {
                await Task.WhenAny(clientStream.CopyToAsync(serverStream, cancellationToken), serverStream.CopyToAsync(clientStream, cancellationToken));
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException)
            {
                // Either side closing ends the connection.
            }
        }
    }
}
