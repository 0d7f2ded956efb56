using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BeneficialRL.Api.Tests.Infrastructure;
using BeneficialRL.SiloHost.Apis.OpenAi;

namespace BeneficialRL.Api.Tests;

/// <summary>
/// A bad-input corpus generated from the service's own OpenAPI document: for every operation, bodies of the wrong
/// shape, nulls and wrong types in every member, unknown members, huge and negative numbers, control and bidi
/// characters, garbage path segments and query values, broken multipart and garbage uploads. Every answer must be
/// below 500, every rejection a problem document, and a rejected request must leave its collection as it was.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "BadInput")]
public sealed class BadInputCorpusTests(ApiFixture fixture)
{
    private static async Task<bool> IsOpenAiErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/json") return false;
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return body.RootElement.TryGetProperty("error", out var error) && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
            && error.TryGetProperty("type", out _) && error.TryGetProperty("param", out _) && error.TryGetProperty("code", out _);
    }

    private static readonly string[] Garbage =
    [
        "", " ", "\u0000", "nul\u0000byte", "esc\u001b[31m", "rtl\u202eoverride", "isolate\u2066x\u2069", "../../etc/passwd",
        "%2e%2e%2f", new string('a', 5000), "😀", "<script>alert(1)</script>",
    ];

    [Fact]
    public async Task EveryOperation_MutatedInputs_AnswerBelow500WithProblemsAndChangeNothingWhenRejected()
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = await fixture.NewTenantClientAsync();
        var document = JsonNode.Parse(await admin.GetStringAsync("/openapi/v1.json", ct))!;
        var paths = document["paths"]!.AsObject();
        var failures = new List<string>();
        var requests = 0;

        foreach (var (template, pathItem) in paths)
        {
            foreach (var (method, operation) in pathItem!.AsObject().Where(o => o.Key is "get" or "post" or "patch" or "put" or "delete"))
            {
                // A tenant per operation, so the per-tenant write budget never turns a finding into a 429.
                using var client = await fixture.NewTenantClientAsync();
                foreach (var (path, why) in Paths(template))
                {
                    foreach (var (content, what) in Bodies(document, operation!, method))
                    {
                        requests++;
                        var listing = CollectionOf(template, method, paths);
                        var before = listing is null ? null : await ListAsync(client, listing, ct);
                        using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path) { Content = content };
                        using var response = await client.SendAsync(request, ct);
                        var status = (int)response.StatusCode;
                        var label = $"{method.ToUpperInvariant()} {template} [{why}; {what}] → {status}";
                        if (status >= 500)
                        {
                            failures.Add($"{label}: {await response.Content.ReadAsStringAsync(ct)}");
                            continue;
                        }

                        // Kestrel refuses a request target that decodes to a NUL before any middleware runs, with a bare 400.
                        var refusedByKestrel = status == 400 && path.Contains("%00", StringComparison.Ordinal) && response.Content.Headers.ContentLength == 0;
                        // The OpenAI-compatible routes answer in OpenAI's error envelope, which the SDKs and harnesses read.
                        if (status >= 400 && status != 405 && !refusedByKestrel && OpenAiErrors.Applies(new Microsoft.AspNetCore.Http.PathString(template)))
                        {
                            if (!await IsOpenAiErrorAsync(response, ct)) failures.Add($"{label}: not an OpenAI error envelope ({response.Content.Headers.ContentType})");
                        }
                        else if (status >= 400 && status != 404 && status != 405 && !refusedByKestrel && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                        {
                            failures.Add($"{label}: not a problem document ({response.Content.Headers.ContentType})");
                        }

                        if (status >= 400 && listing is not null && await ListAsync(client, listing, ct) != before)
                        {
                            failures.Add($"{label}: rejected, yet {listing} changed");
                        }
                    }
                }
            }
        }

        Assert.True(requests > 200, $"only {requests} requests were generated: is the OpenAPI document complete?");
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} requests misbehaved:\n" + string.Join('\n', failures.Take(40)));
    }

    /// <summary>The path with well-formed ids, and with each path parameter replaced by garbage in turn.</summary>
    private static IEnumerable<(string Path, string Why)> Paths(string template)
    {
        var parameters = System.Text.RegularExpressions.Regex.Matches(template, "{([^}]+)}").Select(m => m.Value).ToList();
        string Fill(string except, string value) => parameters.Aggregate(template, (p, name) => p.Replace(name, name == except ? value : "missing1", StringComparison.Ordinal));
        yield return (Fill(string.Empty, string.Empty) + "?limit=-1&continuationToken=%00", "negative limit, NUL token");
        foreach (var name in parameters)
        {
            foreach (var value in new[] { "%00", "..%2F..%2Fsecret", Uri.EscapeDataString(new string('x', 3000)), "%E2%80%AE" })
            {
                yield return (Fill(name, value), $"{name} = {value[..Math.Min(12, value.Length)]}");
            }
        }
    }

    /// <summary>Bodies for an operation: none for reads; for writes, shapes and member mutations of its request schema, or broken uploads.</summary>
    private static IEnumerable<(HttpContent? Content, string What)> Bodies(JsonNode document, JsonNode operation, string method)
    {
        if (method is "get" or "delete")
        {
            yield return (null, "no body");
            yield break;
        }

        var content = operation["requestBody"]?["content"]?.AsObject();
        if (content is not null && content.Any(c => c.Key.StartsWith("multipart/", StringComparison.Ordinal) || c.Key == "application/octet-stream"))
        {
            yield return (Raw("--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\ngarbage", "multipart/form-data"), "multipart without a boundary");
            yield return (Raw("no boundary here", "multipart/form-data; boundary=zzz"), "multipart with a boundary that never appears");
            yield return (Raw("--zzz\r\nbroken", "multipart/form-data; boundary=zzz"), "truncated multipart");
            yield return (new ByteArrayContent([0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0, 0xff, 0xff]) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }, "garbage bytes");
            yield return (Raw("{\"a\":1}", "application/json"), "JSON where an upload belongs");
            yield break;
        }

        foreach (var shape in new[] { "null", "[]", "\"text\"", "42", "{", "{\"a\":1,\"a\":2}" })
        {
            yield return (Raw(shape, "application/json"), $"body {shape}");
        }

        yield return (Raw("{}", "text/plain"), "wrong content type");
        var schema = Resolve(document, content?.FirstOrDefault(c => c.Key.Contains("json", StringComparison.Ordinal)).Value?["schema"]);
        var properties = schema?["properties"]?.AsObject();
        yield return (Json(new JsonObject { ["notAMember"] = 1 }), "unknown member");
        if (properties is null) yield break;
        foreach (var (name, property) in properties)
        {
            var type = Resolve(document, property)?["type"]?.ToString() ?? "object";
            foreach (var (value, what) in Mutations(type))
            {
                yield return (Json(new JsonObject { [name] = value?.DeepClone() }), $"{name} = {what}");
            }
        }
    }

    private static IEnumerable<(JsonNode? Value, string What)> Mutations(string type)
    {
        yield return (null, "null");
        yield return (new JsonObject { ["nested"] = new JsonArray(null, 1, "x") }, "an object");
        yield return (new JsonArray(JsonValue.Create((string?)null), new JsonObject()), "an array with null");
        yield return (JsonValue.Create(-1), "-1");
        yield return (JsonValue.Create(1e308), "1e308");
        yield return (JsonNode.Parse("123456789012345678901234567890"), "a 30-digit integer");
        yield return (JsonValue.Create(true), "true");
        foreach (var text in Garbage.Where(_ => type is "string" or "object" or "array"))
        {
            yield return (JsonValue.Create(text), $"\"{Printable(text)}\"");
        }
    }

    private static string Printable(string text) =>
        new string([.. text.Take(12).Select(c => char.IsControl(c) || c is >= '\u2066' and <= '\u2069' or >= '\u202a' and <= '\u202e' ? '·' : c)]);

    private static JsonNode? Resolve(JsonNode document, JsonNode? schema)
    {
        for (var depth = 0; depth < 8 && schema?["$ref"]?.ToString() is { } reference; depth++)
        {
            schema = reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate((JsonNode?)document, (node, part) => node?[part]);
        }

        return schema;
    }

    /// <summary>The collection a write to <paramref name="template"/> changes, when it has a listing route.</summary>
    private static string? CollectionOf(string template, string method, JsonObject paths)
    {
        if (method != "post" || template.Contains('{', StringComparison.Ordinal)) return null;
        return paths[template]?["get"] is not null ? template : null;
    }

    private static async Task<string> ListAsync(HttpClient client, string path, CancellationToken ct)
    {
        using var response = await client.GetAsync(path, ct);
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}";
    }

    private static StringContent Raw(string text, string mediaType)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        return content;
    }

    private static StringContent Json(JsonNode body) => Raw(body.ToJsonString(), "application/json");
}
