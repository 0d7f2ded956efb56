using BeneficialRL.LocalInfrastructure;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BeneficialRL.Contracts.Cluster;

namespace BeneficialRL.Cluster.Tests.Clustering;

/// <summary>
/// An api silo and a trainer silo clustered through Orleans' Azure Table membership on a real Azurite: trainer-placed grains land on the trainer,
/// and the cluster keeps serving when either silo is killed.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TableClusterTests(ClusterInfrastructure infrastructure) : IClassFixture<ClusterInfrastructure>
{
    /// <summary>Orleans' default failure detection (3 missed 5 s probes, then a vote), with room for a busy machine.</summary>
    private static readonly TimeSpan MembershipChangeTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Cluster_TrainerSiloKilled_ApiSiloKeepsServing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var cluster = new TestCluster(infrastructure);
        var (api, trainer) = await StartPairAsync(cluster, cancellationToken);
        var http = cluster.ClientFor(api);

        // Each silo is ready once it is Active itself; the api silo's view of the other follows by gossip.
        await WaitUntilActiveAsync(http, ["api-1", "trainer-1"], cancellationToken);
        var experimentId = await CreateExperimentAsync(http, cancellationToken);
        var runId = await CreateBenchmarkRunAsync(http, cancellationToken);
        Assert.Equal("trainer-1", await WorkerOfAsync(http, runId, cancellationToken));

        trainer.Kill();
        await trainer.Exited;
        // Grains (and grain-directory entries) that lived on the trainer are unreachable until the api silo's failure
        // detector declares it dead; from then on the cluster serves them again, re-activated from blob state.
        await WaitUntilNotActiveAsync(http, "trainer-1", cancellationToken);

        using (var experiment = await http.GetAsync($"api/v1/experiments/{experimentId}", cancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, experiment.StatusCode);
        }

        using var live = await http.GetAsync("health/live", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Cluster_ApiSiloKilled_TrainerStaysHealthyAndNewApiSiloJoins()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var cluster = new TestCluster(infrastructure);
        var (api, trainer) = await StartPairAsync(cluster, cancellationToken);

        api.Kill();
        await api.Exited;

        using (var trainerLive = await cluster.ClientFor(trainer).GetAsync("health/live", cancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, trainerLive.StatusCode);
        }

        var replacement = await cluster.StartAsync("api-2", [SiloRoles.Api], cancellationToken);
        var http = cluster.ClientFor(replacement);
        await WaitUntilActiveAsync(http, ["api-2", "trainer-1"], cancellationToken);
        // Catalog grains that lived on api-1 answer again once the cluster has declared it dead.
        await WaitUntilNotActiveAsync(http, "api-1", cancellationToken);
        var runId = await CreateBenchmarkRunAsync(http, cancellationToken);
        Assert.Equal("trainer-1", await WorkerOfAsync(http, runId, cancellationToken));
    }

    [Fact]
    public async Task Cluster_WithoutTrainerSilo_AnswersRunnableWorkWith503AndRetryAfter_AndStoresNothing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var cluster = new TestCluster(infrastructure);
        var api = await cluster.StartAsync("api-only", [SiloRoles.Api], cancellationToken);
        var http = cluster.ClientFor(api);

        using var response = await http.PostAsJsonAsync("api/v1/experiments", new { preset = "quick" }, cancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
        using var list = await GetJsonAsync(http, "api/v1/experiments", cancellationToken);
        Assert.Empty(list.RootElement.GetProperty("items").EnumerateArray());
    }

    private static async Task<(SiloProcess Api, SiloProcess Trainer)> StartPairAsync(TestCluster cluster, CancellationToken cancellationToken)
    {
        var api = cluster.StartAsync("api-1", [SiloRoles.Api], cancellationToken);
        var trainer = cluster.StartAsync("trainer-1", [SiloRoles.Trainer], cancellationToken);
        // Both awaited before either result is used, so a failure of one never leaves the other untracked.
        await Task.WhenAll(api, trainer);
        return (await api, await trainer);
    }

    private static Task WaitUntilNotActiveAsync(HttpClient http, string siloName, CancellationToken cancellationToken) =>
        WaitForMembershipAsync(http, active => !active.Contains(siloName), $"'{siloName}' to be declared dead after it was killed", cancellationToken);

    private static Task WaitUntilActiveAsync(HttpClient http, string[] siloNames, CancellationToken cancellationToken) =>
        WaitForMembershipAsync(http, active => active.IsSupersetOf(siloNames), $"{string.Join(" and ", siloNames)} to be listed Active", cancellationToken);

    private static async Task WaitForMembershipAsync(HttpClient http, Func<HashSet<string>, bool> condition, string awaited, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + MembershipChangeTimeout;
        var active = await ActiveSiloNamesAsync(http, cancellationToken);
        while (!condition(active))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {MembershipChangeTimeout.TotalSeconds:0} s for {awaited}; GET /api/v1/cluster still lists as Active: {string.Join(", ", active)}.");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            active = await ActiveSiloNamesAsync(http, cancellationToken);
        }
    }

    private static async Task<HashSet<string>> ActiveSiloNamesAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var document = await GetJsonAsync(http, "api/v1/cluster", cancellationToken);
        return document.RootElement.GetProperty("silos").EnumerateArray()
            .Where(silo => string.Equals(silo.GetProperty("status").GetString(), "Active", StringComparison.OrdinalIgnoreCase))
            .Select(silo => silo.GetProperty("name").GetString()!)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static async Task<string> CreateExperimentAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("api/v1/experiments", new { name = "cluster-test" }, cancellationToken);
        return await IdOfCreatedAsync(response, cancellationToken);
    }

    private static async Task<string> CreateBenchmarkRunAsync(HttpClient http, CancellationToken cancellationToken)
    {
        // A run needs a checkpoint that can be evaluated (weights-only ones are refused with 409): import a tiny policy.
        using var form = TinyPolicy.Form();
        using var imported = await http.PostAsync("api/v1/checkpoints?name=cluster-test", form, cancellationToken);
        var checkpointId = await IdOfCreatedAsync(imported, cancellationToken);

        // Any catalogue benchmark will do; one item keeps the trainer's work short once the run is placed.
        using var benchmarks = await GetJsonAsync(http, "api/v1/benchmarks", cancellationToken);
        var benchmarkId = benchmarks.RootElement[0].GetProperty("id").GetString();
        using var response = await http.PostAsJsonAsync(
            "api/v1/benchmark-runs",
            new { checkpointId, benchmarkId, maxItems = 1 },
            cancellationToken);
        return await IdOfCreatedAsync(response, cancellationToken);
    }

    private static async Task<string> WorkerOfAsync(HttpClient http, string runId, CancellationToken cancellationToken)
    {
        using var run = await GetJsonAsync(http, $"api/v1/benchmark-runs/{runId}", cancellationToken);
        return run.RootElement.GetProperty("worker").GetString()
            ?? throw new InvalidOperationException($"Benchmark run {runId} has a null 'worker'.");
    }

    private static async Task<string> IdOfCreatedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("id").GetString()
            ?? throw new InvalidOperationException($"The created resource has a null 'id': {body}");
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }
}
