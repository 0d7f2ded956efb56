using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BeneficialRL.SiloHost.Http;

/// <summary>
/// Reads JSON request bodies strictly: unknown members, missing required members, wrong types and
/// nulls in non-nullable members are errors that name the field, not silently ignored.
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
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Options, cancellationToken);
            return value is null ? (null, ApiProblems.InvalidField("$", "The body must be a JSON object, not null.")) : (value, null);
        }
        catch (JsonException e)
        {
            var (field, detail) = Describe(e);
            return (null, ApiProblems.InvalidField(field, detail));
        }
    }

    /// <summary>The serializer's messages name CLR types; keep what a client can act on.</summary>
    private static (string Field, string Detail) Describe(JsonException e)
    {
        var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
        var message = e.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
            return (path, $"Unknown member '{path.Split('.')[^1]}': it is not part of this request.");
        var including = message.IndexOf("including: ", StringComparison.Ordinal);
        if (message.Contains("missing required properties", StringComparison.Ordinal) && including > 0)
        {
            var missing = message[(including + "including: ".Length)..].Split(['\'', ',', ' ', '.'], StringSplitOptions.RemoveEmptyEntries);
            var first = missing.Length > 0 ? missing[0] : "?";
            return (path == "$" ? $"$.{first}" : $"{path}.{first}", $"Required member '{first}' is missing.");
        }

        if (message.Contains("null", StringComparison.OrdinalIgnoreCase) && message.Contains("non-nullable", StringComparison.OrdinalIgnoreCase))
            return (path, $"'{path.Split('.')[^1]}' cannot be null.");
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var detail = cut > 0 ? message[..cut] : message;
        if (detail.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)) detail = $"'{path}' has the wrong type.";
        return (path, detail);
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }
}
