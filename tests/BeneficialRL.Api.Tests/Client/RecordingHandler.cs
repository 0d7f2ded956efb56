using System.Collections.Concurrent;

namespace BeneficialRL.Api.Tests.Client;

/// <summary>
/// Passes every request on to the real host and records its verb, path and <c>Idempotency-Key</c>; with
/// <see cref="FailFirstSends"/> it first fails that many sends the way a dropped connection does, before they leave.
/// </summary>
public sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    /// <summary>Every request sent, in order (those failed on purpose included).</summary>
    public ConcurrentQueue<(HttpMethod Method, string Path, string? IdempotencyKey)> Requests { get; } = new();

    /// <summary>How many sends still fail before reaching the host.</summary>
    public int FailFirstSends { get; set; }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue((request.Method, request.RequestUri!.AbsolutePath, request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null));
        if (FailFirstSends > 0)
        {
            FailFirstSends--;
            throw new HttpRequestException("Connection dropped (injected by the test).");
        }

        return base.SendAsync(request, cancellationToken);
    }
}
