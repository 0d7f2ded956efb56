using System.Net;
using System.Reflection;
using System.Text.Json;
using BeneficialRL.Api.Tests.Infrastructure;
using BeneficialRL.Client;
using BeneficialRL.Contracts.Api;
using BeneficialRL.Contracts.Experiments;
using Microsoft.Extensions.DependencyInjection;

namespace BeneficialRL.Api.Tests.Client;

/// <summary>The typed client against the real host: its routes exist in the OpenAPI document, and it round-trips.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BeneficialRLClientTests(ApiFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(BeneficialRLClient Client, RecordingHandler Recorder)> NewClientAsync()
    {
        var recorder = new RecordingHandler();
        var http = BeneficialRLClient.Configure(new HttpClient(recorder), fixture.BaseAddress, (await fixture.CreateKeyAsync()).Key);
        return (new BeneficialRLClient(http), recorder);
    }

    /// <summary>Calls every public method of the client once, with ids that do not exist where one is needed.</summary>
    private static Dictionary<string, Func<BeneficialRLClient, Task>> EveryMethod() => new(StringComparer.Ordinal)
    {
        [nameof(BeneficialRLClient.CreateExperimentAsync)] = c => c.CreateExperimentAsync(new CreateExperimentRequest(Name: "routes"), cancellationToken: Ct),
        [nameof(BeneficialRLClient.CreateExperimentFromPresetAsync)] = c => c.CreateExperimentFromPresetAsync("no-such-preset", cancellationToken: Ct),
        [nameof(BeneficialRLClient.CreateExperimentFromDefinitionAsync)] = c => c.CreateExperimentFromDefinitionAsync(JsonDocument.Parse("{}").RootElement, cancellationToken: Ct),
        [nameof(BeneficialRLClient.ListExperimentsAsync)] = c => c.ListExperimentsAsync(5, cancellationToken: Ct),
        [nameof(BeneficialRLClient.ListAllExperimentsAsync)] = c => Drain(c.ListAllExperimentsAsync(cancellationToken: Ct)),
        [nameof(BeneficialRLClient.GetExperimentAsync)] = c => c.GetExperimentAsync("missing", Ct),
        [nameof(BeneficialRLClient.UpdateExperimentAsync)] = c => c.UpdateExperimentAsync("missing", new UpdateExperimentRequest("x"), 1, Ct),
        [nameof(BeneficialRLClient.CancelExperimentAsync)] = c => c.CancelExperimentAsync("missing", "why", 1, Ct),
        [nameof(BeneficialRLClient.PauseExperimentAsync)] = c => c.PauseExperimentAsync("missing", 1, Ct),
        [nameof(BeneficialRLClient.ResumeExperimentAsync)] = c => c.ResumeExperimentAsync("missing", 1, Ct),
        [nameof(BeneficialRLClient.GetExperimentJobsAsync)] = c => c.GetExperimentJobsAsync("missing", Ct),
        [nameof(BeneficialRLClient.ReadRunMetricsAsync)] = c => Drain(c.ReadRunMetricsAsync("missing", "control-s1", Ct)),
        [nameof(BeneficialRLClient.GetExperimentReportAsync)] = c => c.GetExperimentReportAsync("missing", Ct),
        [nameof(BeneficialRLClient.DownloadExperimentReportFileAsync)] = c => c.DownloadExperimentReportFileAsync("missing", "report.html", Stream.Null, Ct),
        [nameof(BeneficialRLClient.StreamExperimentEventsAsync)] = c => Drain(c.StreamExperimentEventsAsync("missing", cancellationToken: Ct)),
        [nameof(BeneficialRLClient.ListCheckpointsAsync)] = c => c.ListCheckpointsAsync(5, cancellationToken: Ct),
        [nameof(BeneficialRLClient.GetCheckpointAsync)] = c => c.GetCheckpointAsync("missing", Ct),
        [nameof(BeneficialRLClient.ListBenchmarksAsync)] = c => c.ListBenchmarksAsync(family: "sycophancy", cancellationToken: Ct),
        [nameof(BeneficialRLClient.GetBenchmarkAsync)] = c => c.GetBenchmarkAsync("missing", Ct),
        [nameof(BeneficialRLClient.ImportBenchmarkAsync)] = c => c.ImportBenchmarkAsync(new BenchmarkImport("x.jsonl", new byte[] { 1 }, "excel", "mine", "Mine", "mine"), Ct),
        [nameof(BeneficialRLClient.CreateBenchmarkRunAsync)] = c => c.CreateBenchmarkRunAsync(new CreateBenchmarkRunRequest("missing", "missing"), Ct),
        [nameof(BeneficialRLClient.ListBenchmarkRunsAsync)] = c => c.ListBenchmarkRunsAsync(5, cancellationToken: Ct),
        [nameof(BeneficialRLClient.GetBenchmarkRunAsync)] = c => c.GetBenchmarkRunAsync("missing", Ct),
        [nameof(BeneficialRLClient.CancelBenchmarkRunAsync)] = c => c.CancelBenchmarkRunAsync("missing", Ct),
        [nameof(BeneficialRLClient.ReadBenchmarkRunItemsAsync)] = c => Drain(c.ReadBenchmarkRunItemsAsync("missing", Ct)),
        [nameof(BeneficialRLClient.CreateApiKeyAsync)] = c => c.CreateApiKeyAsync(new CreateApiKeyRequest("routes", ["read"]), Ct),
        [nameof(BeneficialRLClient.ListApiKeysAsync)] = c => c.ListApiKeysAsync(cancellationToken: Ct),
        [nameof(BeneficialRLClient.RevokeApiKeyAsync)] = c => c.RevokeApiKeyAsync("missing", cancellationToken: Ct),
    };

    [Fact]
    public async Task EveryClientMethod_SendsARouteAndVerbOfTheHostsOpenApiDocument()
    {
        var (client, recorder) = await NewClientAsync();
        var calls = EveryMethod();
        var requesting = typeof(BeneficialRLClient).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType) || m.ReturnType.Name.StartsWith("IAsyncEnumerable", StringComparison.Ordinal))
            .Select(m => m.Name).ToHashSet();
        Assert.Equal(requesting.Order(), calls.Keys.Order());

        foreach (var (name, call) in calls)
        {
            try
            {
                await call(client);
            }
            catch (BeneficialRLApiException e) when (e.IsClientError)
            {
                // Dummy ids answer 404, dummy bodies 400: the route and verb are what this test checks.
            }
        }

        var operations = await OpenApiOperationsAsync();
        var sent = recorder.Requests.Select(r => (r.Method.Method, r.Path)).Append(("GET", client.GetExperimentReportUri("missing").AbsolutePath)).Distinct().ToList();
        foreach (var (method, path) in sent)
        {
            Assert.True(operations.Any(o => o.Method == method && Matches(o.Template, path)), $"{method} {path} is not an operation of /openapi/v1.json");
        }
    }

    [Fact]
    public async Task Experiment_CreateGetListCancel_RoundTripsThroughTheHost()
    {
        var (client, _) = await NewClientAsync();
        var first = await client.CreateExperimentAsync(new CreateExperimentRequest("first", "record only", new() { ["team"] = "client" }), cancellationToken: Ct);
        var second = await client.CreateExperimentAsync(new CreateExperimentRequest("second"), cancellationToken: Ct);
        Assert.Equal(ExperimentStatus.Queued, first.Status);

        var fetched = await client.GetExperimentAsync(first.Id, Ct);
        Assert.Equal(("first", "record only", "client"), (fetched.Name, fetched.Description, fetched.Labels["team"]));
        Assert.Equal($"/api/v1/experiments/{first.Id}", fetched.Links.Self);

        var page = await client.ListExperimentsAsync(limit: 1, cancellationToken: Ct);
        Assert.Single(page.Items);
        Assert.NotNull(page.ContinuationToken);
        var all = new List<string>();
        await foreach (var e in client.ListAllExperimentsAsync(pageSize: 1, Ct)) all.Add(e.Id);
        Assert.Equal(new[] { first.Id, second.Id }.Order(), all.Order());

        var stale = await Assert.ThrowsAsync<BeneficialRLApiException>(() => client.UpdateExperimentAsync(first.Id, new UpdateExperimentRequest("renamed"), fetched.Revision - 1, Ct));
        Assert.Equal((HttpStatusCode.PreconditionFailed, "If-Match"), (stale.Status, stale.Field));

        var cancelled = await client.CancelExperimentAsync(first.Id, "not needed", fetched.Revision, Ct);
        Assert.Equal(ExperimentStatus.Cancelled, cancelled.Status);
        var events = new List<ExperimentEventResource>();
        await foreach (var e in client.StreamExperimentEventsAsync(first.Id, cancellationToken: Ct)) events.Add(e);
        Assert.Equal(("status", ExperimentStatus.Cancelled), (events[^1].Kind, events[^1].Status));
    }

    [Fact]
    public async Task ProblemDocument_BecomesTheTypedExceptionNamingTheField()
    {
        var (client, _) = await NewClientAsync();
        var invalid = await Assert.ThrowsAsync<BeneficialRLApiException>(() => client.CreateExperimentFromPresetAsync("no-such-preset", cancellationToken: Ct));
        Assert.Equal((HttpStatusCode.BadRequest, "Invalid request", "$.preset"), (invalid.Status, invalid.Title, invalid.Field));
        Assert.Contains("no-such-preset", invalid.Detail, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<BeneficialRLApiException>(() => client.GetExperimentAsync("missing", Ct));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.True(missing.IsClientError);
    }

    [Fact]
    public async Task Post_EachCallHasItsOwnIdempotencyKey_AndARetryReusesIt()
    {
        var (client, recorder) = await NewClientAsync();
        await client.CreateExperimentAsync(new CreateExperimentRequest("one"), cancellationToken: Ct);
        await client.CreateExperimentAsync(new CreateExperimentRequest("two"), cancellationToken: Ct);
        var keys = recorder.Requests.Where(r => r.Method == HttpMethod.Post).Select(r => r.IdempotencyKey).ToList();
        Assert.Equal(2, keys.Distinct().Count());
        Assert.All(keys, k => Assert.True(Guid.TryParse(k, out _)));

        recorder.Requests.Clear();
        recorder.FailFirstSends = 1;
        var created = await client.CreateExperimentAsync(new CreateExperimentRequest("retried"), cancellationToken: Ct);
        var tries = recorder.Requests.Where(r => r.Method == HttpMethod.Post).Select(r => r.IdempotencyKey).ToList();
        Assert.Equal(2, tries.Count);
        Assert.Single(tries.Distinct());
        Assert.Single((await client.ListExperimentsAsync(cancellationToken: Ct)).Items, e => e.Name == "retried" && e.Id == created.Id);
    }

    [Fact]
    public async Task AddBeneficialRLClient_ResolvesATypedClientOfTheFactory()
    {
        var key = (await fixture.CreateKeyAsync()).Key;
        await using var services = new ServiceCollection().AddBeneficialRLClient(fixture.BaseAddress, key).Services.BuildServiceProvider();
        var client = services.GetRequiredService<BeneficialRLClient>();
        var created = await client.CreateExperimentAsync(new CreateExperimentRequest("from the factory"), cancellationToken: Ct);
        Assert.Equal(created.Id, (await client.GetExperimentAsync(created.Id, Ct)).Id);
    }

    [Fact]
    public void ContractsRecords_HaveTheMembersOfTheHostsTypedReadings_AndNoHostTypeReusesTheirNames()
    {
        // The host returns the Contracts records except where a member is an engine schema (ExperimentDefinition,
        // BenchmarkDefinition) that it binds and documents typed and clients read as JSON; those few stay in step here.
        var host = typeof(BeneficialRL.SiloHost.Apis.ExperimentsApi).Assembly;
        var contracts = typeof(ExperimentResource).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(ExperimentResource).Namespace && t.IsPublic && !t.IsGenericTypeDefinition).ToDictionary(t => t.Name);
        Assert.DoesNotContain(host.GetTypes().Where(t => t.IsPublic || t.IsNestedPublic), t => contracts.ContainsKey(t.Name)); // each name defined once
        (Type Host, Type Contract)[] twins =
        [
            (typeof(BeneficialRL.SiloHost.Apis.ExperimentsApi.CreateExperimentBody), typeof(CreateExperimentRequest)),
            (typeof(BeneficialRL.SiloHost.Apis.BenchmarksApi.TypedBenchmarkResource), typeof(BenchmarkResource)),
        ];
        foreach (var (twin, contract) in twins)
        {
            var theirs = twin.GetProperties().Where(p => p.Name != "EqualityContract").ToDictionary(p => p.Name, p => p.PropertyType);
            var ours = contract.GetProperties().Where(p => p.Name != "EqualityContract").ToDictionary(p => p.Name, p => p.PropertyType);
            Assert.Equal(theirs.Keys.Order(), ours.Keys.Order());
            foreach (var (name, type) in ours)
            {
                var json = type == typeof(JsonElement) || type == typeof(JsonElement?) || type == typeof(IReadOnlyList<JsonElement>);
                Assert.True(json || Same(type, theirs[name]), $"{contract.Name}.{name} is {type} but the host's is {theirs[name]}");
            }
        }
    }

    /// <summary>The same type, a Contracts record standing for the host's record of that name, or generics of such.</summary>
    private static bool Same(Type ours, Type theirs) =>
        ours == theirs
        || (ours.Namespace == typeof(ExperimentResource).Namespace && ours.Name == theirs.Name && !ours.IsGenericType)
        || (ours.IsGenericType && theirs.IsGenericType && ours.GetGenericTypeDefinition() == theirs.GetGenericTypeDefinition()
            && ours.GetGenericArguments().Zip(theirs.GetGenericArguments()).All(p => Same(p.First, p.Second)));

    private async Task<List<(string Method, string Template)>> OpenApiOperationsAsync()
    {
        using var anonymous = fixture.Client(null);
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json", Ct));
        return [.. document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (operation.Name.ToUpperInvariant(), path.Name)))];
    }

    private static bool Matches(string template, string path)
    {
        var expected = template.Split('/');
        var actual = path.Split('/');
        return expected.Length == actual.Length
            && expected.Zip(actual).All(p => (p.First.StartsWith('{') && p.Second.Length > 0) || p.First == p.Second);
    }

    private static async Task Drain<T>(IAsyncEnumerable<T> items)
    {
        await foreach (var _ in items)
        {
        }
    }
}
