using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using BeneficialRL.Contracts.Api;

namespace BeneficialRL.Client;

public sealed partial class BeneficialRLClient
{
    private const string Checkpoints = "api/v1/checkpoints";
    private const string Benchmarks = "api/v1/benchmarks";
    private const string BenchmarkRuns = "api/v1/benchmark-runs";
    private const string ApiKeys = "api/v1/api-keys";

    /// <summary>One page of checkpoints, newest first.</summary>
    public Task<Page<CheckpointResource>> ListCheckpointsAsync(int? limit = null, string? continuationToken = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<CheckpointResource>>(Checkpoints + Query(("limit", limit?.ToString(CultureInfo.InvariantCulture)), ("continuationToken", continuationToken)), cancellationToken);

    /// <summary>A checkpoint's metadata and lineage.</summary>
    public Task<CheckpointResource> GetCheckpointAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<CheckpointResource>($"{Checkpoints}/{Segment(id)}", cancellationToken);

    /// <summary>
    /// Built-in and imported benchmark definitions, filtered by family, format, trait or domain. The definitions stay JSON:
    /// their schema belongs to the Benchmarks library.
    /// </summary>
    public Task<IReadOnlyList<JsonElement>> ListBenchmarksAsync(string? family = null, string? format = null, string? trait = null, string? domain = null, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<JsonElement>>(Benchmarks + Query(("family", family), ("format", format), ("trait", trait), ("domain", domain)), cancellationToken);

    /// <summary>A benchmark's definition and its first items.</summary>
    public Task<BenchmarkResource> GetBenchmarkAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<BenchmarkResource>($"{Benchmarks}/{Segment(id)}", cancellationToken);

    /// <summary>Imports a benchmark file; an invalid file stores nothing and the exception names the field or line.</summary>
    public async Task<BenchmarkResource> ImportBenchmarkAsync(BenchmarkImport import, CancellationToken cancellationToken = default)
    {
        var idempotencyKey = Guid.NewGuid().ToString();
        using var response = await SendAsync(() =>
        {
            var form = new MultipartFormDataContent();
            var file = new ReadOnlyMemoryContent(import.Content);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "file", import.FileName);
            void Field(string name, string? value)
            {
                if (value is not null) form.Add(new StringContent(value), name);
            }

            Field("importer", import.Importer);
            Field("id", import.Id);
            Field("name", import.Name);
            Field("family", import.Family);
            Field("traits", import.Traits.Count == 0 ? null : string.Join(',', import.Traits));
            Field("domain", import.Domain);
            Field("polarity", import.Polarity);
            Field("mapping", import.Mapping);
            Field("alignedOption", import.AlignedOption);
            var request = new HttpRequestMessage(HttpMethod.Post, Benchmarks) { Content = form };
            request.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
            return request;
        }, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return await ReadAsync<BenchmarkResource>(response, cancellationToken);
    }

    /// <summary>Queues a benchmark run of a checkpoint.</summary>
    public Task<BenchmarkRunResource> CreateBenchmarkRunAsync(CreateBenchmarkRunRequest request, CancellationToken cancellationToken = default) =>
        SendJsonAsync<BenchmarkRunResource>(HttpMethod.Post, BenchmarkRuns, request, null, cancellationToken);

    /// <summary>One page of benchmark runs, newest first.</summary>
    public Task<Page<BenchmarkRunResource>> ListBenchmarkRunsAsync(int? limit = null, string? continuationToken = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<BenchmarkRunResource>>(BenchmarkRuns + Query(("limit", limit?.ToString(CultureInfo.InvariantCulture)), ("continuationToken", continuationToken)), cancellationToken);

    /// <summary>A benchmark run's status, worker and summary.</summary>
    public Task<BenchmarkRunResource> GetBenchmarkRunAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<BenchmarkRunResource>($"{BenchmarkRuns}/{Segment(id)}", cancellationToken);

    /// <summary>Cancels a queued or running benchmark run.</summary>
    public Task<BenchmarkRunResource> CancelBenchmarkRunAsync(string id, CancellationToken cancellationToken = default) =>
        SendJsonAsync<BenchmarkRunResource>(HttpMethod.Post, $"{BenchmarkRuns}/{Segment(id)}/cancel", null, null, cancellationToken);

    /// <summary>The per-item results of a completed benchmark run, one JSON record per item (their schema belongs to the Benchmarks library).</summary>
    public IAsyncEnumerable<JsonElement> ReadBenchmarkRunItemsAsync(string id, CancellationToken cancellationToken = default) =>
        ReadJsonLinesAsync($"{BenchmarkRuns}/{Segment(id)}/items", cancellationToken);

    /// <summary>Creates a key; its secret is in this response only.</summary>
    public Task<CreatedApiKeyResource> CreateApiKeyAsync(CreateApiKeyRequest request, CancellationToken cancellationToken = default) =>
        SendJsonAsync<CreatedApiKeyResource>(HttpMethod.Post, ApiKeys, request, null, cancellationToken);

    /// <summary>The keys of the caller's tenant, or of <paramref name="tenant"/> (operator admins only), never their secrets.</summary>
    public Task<IReadOnlyList<ApiKeyResource>> ListApiKeysAsync(string? tenant = null, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<ApiKeyResource>>(ApiKeys + Query(("tenant", tenant)), cancellationToken);

    /// <summary>Revokes a key; it stops authenticating at once.</summary>
    public Task<ApiKeyResource> RevokeApiKeyAsync(string keyId, string? tenant = null, CancellationToken cancellationToken = default) =>
        SendJsonAsync<ApiKeyResource>(HttpMethod.Delete, $"{ApiKeys}/{Segment(keyId)}" + Query(("tenant", tenant)), null, null, cancellationToken);
}
