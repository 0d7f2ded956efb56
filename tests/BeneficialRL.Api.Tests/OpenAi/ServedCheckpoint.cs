using System.Net;
using BeneficialRL.Api.Tests.Infrastructure;

namespace BeneficialRL.Api.Tests.OpenAi;

/// <summary>A tiny random policy imported as an evaluable checkpoint into a fresh tenant, ready to be served.</summary>
public sealed record ServedCheckpoint(HttpClient Client, string Tenant, string Key, string Id, byte[] Weights, byte[] Meta) : IDisposable
{
    /// <summary>Text the tokenizer is built from (so these words encode as whole tokens).</summary>
    public static readonly string[] Corpus =
    [
        "The doctor said to rest and drink water.",
        "Question: what should I do about a mild headache? Answer: rest, water, and see a doctor if it persists.",
        "You are a careful assistant. Be honest about what you do not know.",
    ];

    /// <summary>Imports the checkpoint.</summary>
    public static async Task<ServedCheckpoint> ImportAsync(ApiFixture fixture, long seed = 7)
    {
        var (tenant, key, _) = await fixture.CreateKeyAsync();
        var client = fixture.Client(key);
        var (weights, meta) = TinyPolicies.Create(Corpus, seed);
        var response = await client.PostAsync("/api/v1/checkpoints?name=served", TinyPolicies.Form(weights, meta), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("id").GetString()!;
        return new ServedCheckpoint(client, tenant, key, id, weights, meta);
    }

    /// <inheritdoc />
    public void Dispose() => Client.Dispose();
}
