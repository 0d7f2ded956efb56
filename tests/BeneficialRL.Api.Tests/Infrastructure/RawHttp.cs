using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace BeneficialRL.Api.Tests.Infrastructure;

/// <summary>
/// HTTP/1.1 over a plain socket, for bodies HttpClient cannot send to the end: a server that refuses an oversized
/// chunked body answers and closes the connection while the client is still writing, and HttpClient then reports
/// the broken pipe instead of the response it already received. Here writing stops at the first failure and the
/// response is read anyway.
/// </summary>
public static class RawHttp
{
    /// <summary>A response: status code, headers (lower-case names) and body text (de-chunked when needed).</summary>
    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers, string Body);

    /// <summary>
    /// POSTs <paramref name="totalBytes"/> of <paramref name="fill"/> between <paramref name="prefix"/> and
    /// <paramref name="suffix"/> with <c>Transfer-Encoding: chunked</c> (no Content-Length) and returns the response.
    /// </summary>
    public static async Task<Response> PostChunkedAsync(
        Uri baseAddress, string path, IReadOnlyDictionary<string, string> headers, string prefix, byte fill, long totalBytes, string suffix, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port, cancellationToken);
        var stream = tcp.GetStream();
        var head = new StringBuilder($"POST {path} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nTransfer-Encoding: chunked\r\n");
        foreach (var (name, value) in headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var reading = ReadResponseAsync(stream, timeout.Token);
        try
        {
            await WriteChunkAsync(stream, Encoding.UTF8.GetBytes(prefix), cancellationToken);
            var chunk = new byte[65536];
            Array.Fill(chunk, fill);
            for (long sent = 0; sent < totalBytes && !reading.IsCompleted; sent += chunk.Length) await WriteChunkAsync(stream, chunk, cancellationToken);
            if (!reading.IsCompleted)
            {
                await WriteChunkAsync(stream, Encoding.UTF8.GetBytes(suffix), cancellationToken);
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken);
            }
        }
        catch (IOException)
        {
            // The server stopped reading and closed: its answer is what the test is about.
        }

        return await reading;
    }

    private static async Task WriteChunkAsync(NetworkStream stream, byte[] data, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(data.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), cancellationToken);
        await stream.WriteAsync(data, cancellationToken);
        await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
    }

    private static async Task<Response> ReadResponseAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, cancellationToken);
            }
            catch (IOException)
            {
                read = 0;
            }

            if (read == 0) break;
            received.Write(buffer, 0, read);
            if (TryParse(Encoding.UTF8.GetString(received.ToArray())) is not null) break;
        }

        var text = Encoding.UTF8.GetString(received.ToArray());
        return TryParse(text) ?? throw new InvalidOperationException($"The server sent no complete HTTP response: {text}");
    }

    private static Response? TryParse(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return null;
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var rest = text[(end + 4)..];
        if (headers.TryGetValue("content-length", out var length))
        {
            var bytes = int.Parse(length, CultureInfo.InvariantCulture);
            return Encoding.UTF8.GetByteCount(rest) >= bytes ? new Response(status, headers, rest) : null;
        }

        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var body = new StringBuilder();
            var position = 0;
            while (true)
            {
                var lineEnd = rest.IndexOf("\r\n", position, StringComparison.Ordinal);
                if (lineEnd < 0) return null;
                var size = int.Parse(rest[position..lineEnd], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0) return new Response(status, headers, body.ToString());
                if (rest.Length < lineEnd + 2 + size + 2) return null;
                body.Append(rest, lineEnd + 2, size);
                position = lineEnd + 2 + size + 2;
            }
        }

        return new Response(status, headers, rest);
    }
}
