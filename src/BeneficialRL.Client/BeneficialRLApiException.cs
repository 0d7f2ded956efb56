using System.Net;
using System.Text.Json;

namespace BeneficialRL.Client;

/// <summary>
/// The API answered with an error: an RFC 7807 problem document (or, from something in front of the API, any other
/// body). <see cref="Field"/> names the JSON path, header or query parameter at fault when the API says which.
/// </summary>
public sealed class BeneficialRLApiException : Exception
{
    /// <summary>Creates the exception for an error response.</summary>
    public BeneficialRLApiException(HttpStatusCode status, string? title, string? detail, string? field, IReadOnlyDictionary<string, JsonElement> extensions, TimeSpan? retryAfter)
        : base(Describe(status, title, detail, field))
    {
        Status = status;
        Title = title;
        Detail = detail;
        Field = field;
        Extensions = extensions;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status code.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The problem's title, e.g. <c>Invalid request</c>.</summary>
    public string? Title { get; }

    /// <summary>What went wrong, for people.</summary>
    public string? Detail { get; }

    /// <summary>The field at fault (<c>$.name</c>, <c>If-Match</c>, <c>limit</c>), when the problem names one.</summary>
    public string? Field { get; }

    /// <summary>Every other member of the problem document (<c>errors</c>, <c>line</c>, <c>limit</c>...).</summary>
    public IReadOnlyDictionary<string, JsonElement> Extensions { get; }

    /// <summary>The <c>Retry-After</c> the API sent with a 429 or 503.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>True for 4xx: the request was wrong and repeating it unchanged will not help.</summary>
    public bool IsClientError => (int)Status is >= 400 and < 500;

    private static string Describe(HttpStatusCode status, string? title, string? detail, string? field) =>
        $"{(int)status} {title ?? status.ToString()}" + (field is null ? "" : $" ({field})") + (detail is null ? "" : $": {detail}");
}
