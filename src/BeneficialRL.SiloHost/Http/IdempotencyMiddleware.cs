using System.Security.Cryptography;
using System.Text;
using BeneficialRL.Contracts.Idempotency;
using BeneficialRL.Primitives.Hashing;
using BeneficialRL.SiloHost.Auth;

namespace BeneficialRL.SiloHost.Http;

/// <summary>
/// Makes every authenticated POST idempotent by its <c>Idempotency-Key</c> header: the first request's
/// response is stored and replayed for retries with the same key and body (marked
/// <c>Idempotent-Replayed: true</c>); the same key with another body is a 422; a retry that overtakes
/// a still-running first attempt is a 409. Server errors are not stored, so they can be retried. A response that
/// reveals a secret (marked <c>Cache-Control: no-store</c>: a new API key) is stored sealed (AES-GCM) under a key
/// derived from the Idempotency-Key, which only the client holds (storage keeps a hash of it, derived otherwise), so
/// a retry still receives its secret and grain storage never holds it readable.
/// </summary>
public sealed partial class IdempotencyMiddleware(RequestDelegate next, IGrainFactory grains, ILogger<IdempotencyMiddleware> logger)
{
    /// <summary>The request header.</summary>
    public const string HeaderName = "Idempotency-Key";

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    // Cache-Control: a replayed response that reveals a secret (a new API key) must stay uncacheable too.
    private static readonly string[] ReplayedHeaders = ["Location", "ETag", "Cache-Control"];

    /// <summary>Runs the middleware.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var key = context.Request.Headers[HeaderName].ToString();
        if (!HttpMethods.IsPost(context.Request.Method) || key.Length == 0 || context.User.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }

        if (key.Length > 200)
        {
            await ApiProblems.InvalidField(HeaderName, "An Idempotency-Key is at most 200 characters.").ExecuteAsync(context);
            return;
        }

        // The body is buffered here, before the endpoint reads it: a JSON body gets the JSON limit now, not the upload limit.
        if (context.Request.HasJsonContentType()) JsonBody.LimitBodySize(context);
        var tenant = context.User.TenantOf();
        var requestHash = await HashRequestAsync(context.Request, context.RequestAborted);
        var scope = $"{tenant}\n{context.Request.Path}\n";
        var grainKey = Sha256Hex.Of(scope + key);
        var grain = grains.GetGrain<IIdempotencyGrain>(grainKey);
        var claim = await grain.TryBeginAsync(requestHash, Lease);
        switch (claim.Outcome)
        {
            case IdempotencyOutcome.Replay:
                await ReplayAsync(context, claim.Response!, scope, key);
                return;
            case IdempotencyOutcome.Mismatch:
                await TypedResults.Problem($"Idempotency-Key '{key}' was already used for a different request.", statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "Idempotency key reused", extensions: new Dictionary<string, object?> { ["field"] = HeaderName }).ExecuteAsync(context);
                return;
            case IdempotencyOutcome.InProgress:
                context.Response.Headers.RetryAfter = "1";
                await ApiProblems.Conflict($"A request with Idempotency-Key '{key}' is still being processed; retry shortly.").ExecuteAsync(context);
                return;
        }

        var originalBody = context.Response.Body;
        using var captured = new MemoryStream();
        context.Response.Body = captured;
        try
        {
            await next(context);
        }
        catch
        {
            context.Response.Body = originalBody;
            await grain.AbandonAsync(requestHash);
            throw;
        }

        context.Response.Body = originalBody;
        var body = captured.ToArray();
        if (context.Response.StatusCode < 500)
        {
            var headers = ReplayedHeaders
                .Where(h => context.Response.Headers.ContainsKey(h))
                .ToDictionary(h => h, h => context.Response.Headers[h].ToString());
            var stored = RevealsSecret(headers) ? SealedBody.Seal(body, scope, key) : body;
            await grain.CompleteAsync(requestHash, new StoredResponse(context.Response.StatusCode, context.Response.ContentType, headers, stored));
        }
        else
        {
            LogNotStored(logger, context.Response.StatusCode, key);
            await grain.AbandonAsync(requestHash);
        }

        await originalBody.WriteAsync(body, context.RequestAborted);
    }

    private static async Task ReplayAsync(HttpContext context, StoredResponse response, string scope, string key)
    {
        // Opened before anything is written: a sealed body that does not open must not leave half a response.
        var body = RevealsSecret(response.Headers) && !StoredBeforeSealing(response.Body) ? SealedBody.Open(response.Body, scope, key) : response.Body;
        context.Response.StatusCode = response.StatusCode;
        if (response.ContentType is not null) context.Response.ContentType = response.ContentType;
        foreach (var (name, value) in response.Headers) context.Response.Headers[name] = value;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>A JSON body stored by a version that did not seal: a sealed body starts with a random nonce, not JSON.</summary>
    private static bool StoredBeforeSealing(byte[] body)
    {
        try
        {
            using var _ = System.Text.Json.JsonDocument.Parse(body);
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static bool RevealsSecret(IReadOnlyDictionary<string, string> headers) =>
        headers.TryGetValue("Cache-Control", out var cacheControl) && cacheControl.Contains("no-store", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// AES-256-GCM over a response body, keyed by HKDF-SHA256 of the Idempotency-Key with the tenant and path as salt.
    /// Its strength is the Idempotency-Key's: clients send random ones (UUIDs), as the README asks.
    /// </summary>
    private static class SealedBody
    {
        private const int NonceBytes = 12;
        private const int TagBytes = 16;
        private static readonly byte[] Purpose = "beneficialrl idempotent response"u8.ToArray();

        public static byte[] Seal(byte[] body, string scope, string key)
        {
            var sealedBody = new byte[NonceBytes + TagBytes + body.Length];
            var nonce = sealedBody.AsSpan(0, NonceBytes);
            RandomNumberGenerator.Fill(nonce);
            using var aes = new AesGcm(Key(scope, key), TagBytes);
            aes.Encrypt(nonce, body, sealedBody.AsSpan(NonceBytes + TagBytes), sealedBody.AsSpan(NonceBytes, TagBytes));
            return sealedBody;
        }

        public static byte[] Open(byte[] sealedBody, string scope, string key)
        {
            var body = new byte[sealedBody.Length - NonceBytes - TagBytes];
            using var aes = new AesGcm(Key(scope, key), TagBytes);
            aes.Decrypt(sealedBody.AsSpan(0, NonceBytes), sealedBody.AsSpan(NonceBytes + TagBytes), sealedBody.AsSpan(NonceBytes, TagBytes), body);
            return body;
        }

        private static byte[] Key(string scope, string key) =>
            HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(key), 32, Encoding.UTF8.GetBytes(scope), Purpose);
    }

    /// <summary>Hashes method, path, query and body; the body is buffered (to disk when large) so the endpoint can read it again.</summary>
    private static async Task<string> HashRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0) sha.AppendData(buffer, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Response {StatusCode} for Idempotency-Key {Key} not stored, so the request can be retried.")]
    private static partial void LogNotStored(ILogger logger, int statusCode, string key);
}
