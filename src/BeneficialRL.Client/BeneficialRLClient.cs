using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BeneficialRL.Client;

/// <summary>
/// The typed client of the BeneficialRL REST API v1 (one <see cref="HttpClient"/> whose base address is the API's root
/// and which sends the bearer key; see <c>AddBeneficialRLClient</c>). Errors become <see cref="BeneficialRLApiException"/>;
/// every POST carries a fresh <c>Idempotency-Key</c> that the client's own retries reuse, so a retried POST never
/// creates a second resource.
/// </summary>
public sealed partial class BeneficialRLClient(HttpClient http)
{
    /// <summary>The header the API reads to replay a repeated POST instead of running it twice.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// Tries of one logical call when the API is unreachable or answers 502/503/504 (a silo restarting, no trainer yet),
    /// waiting the API's <c>Retry-After</c> (at most 30 s) in between; 1 leaves retrying to the caller.
    /// </summary>
    public int MaxAttempts { get; init; } = 3;

    private static readonly TimeSpan LongestRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>The API's wire format: camelCase, enums as camelCase strings, absent members rather than nulls (the API refuses nulls where it expects values).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    /// <summary>The API's root address.</summary>
    public Uri BaseAddress => http.BaseAddress ?? throw new InvalidOperationException("The HttpClient of a BeneficialRLClient needs a BaseAddress.");

    /// <summary>
    /// Points <paramref name="http"/> at the API at <paramref name="baseAddress"/> with <paramref name="apiKey"/> as its
    /// bearer token; <c>AddBeneficialRLClient</c> does the same for clients from <c>IHttpClientFactory</c>.
    /// </summary>
    public static HttpClient Configure(HttpClient http, Uri baseAddress, string apiKey)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        // Relative routes resolve under the base address only when it ends with '/'.
        http.BaseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }

    /// <summary>The absolute address of <paramref name="path"/> (relative to the API's root, or a link the API returned).</summary>
    public Uri AddressOf(string path) => new(BaseAddress, path.TrimStart('/'));

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseContentRead, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    private async Task<T> SendJsonAsync<T>(HttpMethod method, string path, object? body, long? ifMatchRevision, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        // One key per logical call, made before the first try, so every retry below replays rather than repeats.
        idempotencyKey ??= method == HttpMethod.Post ? Guid.NewGuid().ToString() : null;
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(method, path);
            if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: JsonOptions);
            if (idempotencyKey is not null) request.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
            if (ifMatchRevision is { } revision) request.Headers.IfMatch.Add(ETagOf(revision));
            return request;
        }, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    /// <summary>The entity tag the API gives revision <paramref name="revision"/> of a resource.</summary>
    public static EntityTagHeaderValue ETagOf(long revision) => new($"\"r{revision.ToString(CultureInfo.InvariantCulture)}\"");

    /// <summary>
    /// Sends a request built by <paramref name="build"/> (afresh for every try), retrying while the API is unreachable or
    /// answers 502/503/504; any other error status becomes a <see cref="BeneficialRLApiException"/>.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            using (var request = build())
            {
                try
                {
                    response = await http.SendAsync(request, completion, cancellationToken);
                }
                catch (HttpRequestException) when (attempt < MaxAttempts && !cancellationToken.IsCancellationRequested)
                {
                    await Task.Delay(Backoff(attempt, null), cancellationToken);
                    continue;
                }
            }

            if (response.IsSuccessStatusCode) return response;
            using (response)
            {
                var error = await ErrorOfAsync(response, cancellationToken);
                if (attempt >= MaxAttempts || response.StatusCode is not (HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout))
                    throw error;
                await Task.Delay(Backoff(attempt, error.RetryAfter), cancellationToken);
            }
        }
    }

    private static TimeSpan Backoff(int attempt, TimeSpan? retryAfter) =>
        retryAfter is { } after ? (after < LongestRetryAfter ? after : LongestRetryAfter) : TimeSpan.FromMilliseconds(500 * attempt);

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync<T>(JsonOptions, cancellationToken)
            ?? throw new JsonException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered an empty body.");

    /// <summary>Turns an error response into the exception: the problem document's members when it is one, the raw body otherwise.</summary>
    private static async Task<BeneficialRLApiException> ErrorOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var retryAfter = response.Headers.RetryAfter is { } header
            ? header.Delta ?? (header.Date is { } date ? date - DateTimeOffset.UtcNow : null)
            : (TimeSpan?)null;
        string? title = null, detail = null, field = null;
        var extensions = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in document.RootElement.EnumerateObject())
                {
                    var value = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : null;
                    switch (member.Name)
                    {
                        case "title": title = value; break;
                        case "detail": detail = value; break;
                        case "field": field = value; break;
                        case "status" or "type": break;
                        default: extensions[member.Name] = member.Value.Clone(); break;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's page, an empty body): the text is still the best explanation there is.
            detail = text.Length == 0 ? null : text;
        }

        return new BeneficialRLApiException(response.StatusCode, title ?? response.ReasonPhrase, detail, field, extensions, retryAfter);
    }

    /// <summary>Reads a JSON-lines download one record at a time.</summary>
    private async IAsyncEnumerable<JsonElement> ReadJsonLinesAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0) continue;
            using var record = JsonDocument.Parse(line);
            yield return record.RootElement.Clone();
        }
    }

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join('&', present);
    }

    private static string Segment(string id) => Uri.EscapeDataString(id);

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
