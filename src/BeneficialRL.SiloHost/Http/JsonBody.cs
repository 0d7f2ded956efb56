using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BeneficialRL.SiloHost.Http;

/// <summary>
/// Reads JSON request bodies strictly: unknown members, repeated members, missing required members, wrong
/// types, nulls in non-nullable members and in collections of non-nullable elements are errors that name the
/// field, not silently ignored; bodies past <see cref="MaxBytes"/> are a 413 whether or not they say their length.
/// </summary>
public static class JsonBody
{
    /// <summary>Options for request and response bodies.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Largest JSON body accepted.</summary>
    public const long MaxBytes = 1 << 20;

    /// <summary>Reads a <typeparamref name="T"/> or returns the problem that explains why not.</summary>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class
    {
        if (!request.HasJsonContentType()) return (null, ApiProblems.UnsupportedMediaType("application/json"));
        if (request.ContentLength > MaxBytes) return (null, ApiProblems.TooLarge(MaxBytes));
        LimitBodySize(request.HttpContext);
        byte[]? body;
        try
        {
            body = await ReadAtMostAsync(request.Body, MaxBytes, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body = null;
        }

        if (body is null) return (null, ApiProblems.TooLarge(MaxBytes));
        try
        {
            var value = JsonSerializer.Deserialize<T>(body, Options);
            if (value is null) return (null, ApiProblems.InvalidField("$", "The body must be a JSON object, not null."));
            return NullElements.Find(value, Options) is { } path
                ? (null, ApiProblems.InvalidField(path, $"'{Leaf(path)}' cannot be null."))
                : (value, null);
        }
        catch (JsonException e)
        {
            var (field, detail) = Describe(e);
            return (null, ApiProblems.InvalidField(field, detail));
        }
    }

    /// <summary>
    /// Caps what the server accepts for this request's body at <see cref="MaxBytes"/>, so a chunked JSON body (no
    /// Content-Length) cannot be streamed past the limit. Does nothing once the body has started to be read.
    /// </summary>
    public static void LimitBodySize(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature
            && (feature.MaxRequestBodySize is null || feature.MaxRequestBodySize > MaxBytes))
        {
            feature.MaxRequestBodySize = MaxBytes;
        }
    }

    /// <summary>The whole body, or null as soon as it is longer than <paramref name="maxBytes"/>: the limit holds for the bytes read, whatever the headers say.</summary>
    private static async Task<byte[]?> ReadAtMostAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// The serializer's messages name CLR types (<c>on type 'BeneficialRL...Request'</c>); say what a client can act
    /// on, in the API's words, and never pass a message through that still names a type.
    /// </summary>
    internal static (string Field, string Detail) Describe(JsonException e)
    {
        var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
        var message = e.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
            return (path, $"Unknown member '{Leaf(path)}': it is not part of this request.");
        if (message.StartsWith("Duplicate propert", StringComparison.Ordinal))
            return (path, $"Member '{Leaf(path)}' appears more than once in its object; give each member once.");
        var including = message.IndexOf("including: ", StringComparison.Ordinal);
        if (message.Contains("missing required properties", StringComparison.Ordinal) && including > 0)
        {
            var missing = message[(including + "including: ".Length)..].Split(['\'', ',', ' ', '.'], StringSplitOptions.RemoveEmptyEntries);
            var first = missing.Length > 0 ? missing[0] : "?";
            return (path == "$" ? $"$.{first}" : $"{path}.{first}", $"Required member '{first}' is missing.");
        }

        if (message.Contains("doesn't allow null", StringComparison.Ordinal) || message.Contains("doesn't allow getting null", StringComparison.Ordinal)
            || message.Contains("doesn't allow setting null", StringComparison.Ordinal)
            || (message.Contains("null", StringComparison.OrdinalIgnoreCase) && message.Contains("non-nullable", StringComparison.OrdinalIgnoreCase)))
            return (path, $"'{Leaf(path)}' cannot be null.");
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var detail = cut > 0 ? message[..cut] : message;
        if (detail.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) || NamesAType(detail))
            detail = $"'{path}' has the wrong type or shape for this member.";
        return (path, detail);
    }

    private static bool NamesAType(string message) =>
        message.Contains("BeneficialRL.", StringComparison.Ordinal) || message.Contains("System.", StringComparison.Ordinal)
        || message.Contains("Microsoft.", StringComparison.Ordinal) || message.Contains(" type '", StringComparison.Ordinal);

    private static string Leaf(string path) => path.Split('.')[^1];

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            // A repeated member would otherwise silently win over the first; clients get told instead.
            AllowDuplicateProperties = false,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }
}
