using System.Net;
using System.Net.Http.Json;
using System.Text;
using BeneficialRL.Api.Tests.Infrastructure;
using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Resources;

namespace BeneficialRL.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class ExperimentsApiTests(ApiFixture fixture)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_ValidSpec_Is201QueuedWithLocationAndETag()
    {
        using var client = await fixture.NewTenantClientAsync();
        var response = await client.PostAsJsonAsync("/api/v1/experiments", new { name = "demo", description = "d", labels = new { team = "x" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("queued", body.GetProperty("status").GetString());
        Assert.Equal($"/api/v1/experiments/{body.GetProperty("id").GetString()}", response.Headers.Location!.ToString());
        Assert.Equal("\"r2\"", response.Headers.ETag!.Tag);

        var fetched = await (await client.GetAsync(response.Headers.Location, Ct)).JsonAsync();
        Assert.Equal("demo", fetched.GetProperty("name").GetString());
        Assert.Equal("x", fetched.GetProperty("labels").GetProperty("team").GetString());
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"colour\":\"red\"}", "$.colour")]
    [InlineData("{\"description\":\"no name\"}", "$.name")]
    [InlineData("{\"name\":42}", "$.name")]
    [InlineData("{\"name\":\"   \"}", "$.name")]
    [InlineData("{\"name\":null}", "$.name")]
    public async Task Create_BadBody_Is400NamingTheFieldAndCreatesNothing(string json, string field)
    {
        using var client = await fixture.NewTenantClientAsync();
        var response = await client.PostAsync("/api/v1/experiments", new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        var list = await (await client.GetAsync("/api/v1/experiments", Ct)).JsonAsync();
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Create_NotJson_Is415()
    {
        using var client = await fixture.NewTenantClientAsync();
        var response = await client.PostAsync("/api/v1/experiments", new StringContent("name=x", Encoding.UTF8, "text/plain"), Ct);
        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Patch_WithStaleIfMatch_Is412AndLeavesItUnchanged()
    {
        using var client = await fixture.NewTenantClientAsync();
        var created = await client.PostAsJsonAsync("/api/v1/experiments", new { name = "before" }, Ct);
        var location = created.Headers.Location!;
        var etag = created.Headers.ETag!.Tag;

        using var first = new HttpRequestMessage(HttpMethod.Patch, location) { Content = JsonContent.Create(new { name = "after" }) };
        first.Headers.IfMatch.ParseAdd(etag);
        var ok = await client.SendAsync(first, Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.NotEqual(etag, ok.Headers.ETag!.Tag);

        using var stale = new HttpRequestMessage(HttpMethod.Patch, location) { Content = JsonContent.Create(new { name = "lost update" }) };
        stale.Headers.IfMatch.ParseAdd(etag);
        var problem = await (await client.SendAsync(stale, Ct)).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("If-Match", problem.GetProperty("field").GetString());

        var current = await (await client.GetAsync(location, Ct)).JsonAsync();
        Assert.Equal("after", current.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Cancel_QueuedExperiment_IsCancelled_AndPausingOrResumingItIs409()
    {
        using var client = await fixture.NewTenantClientAsync();
        var created = await (await client.PostAsJsonAsync("/api/v1/experiments", new { name = "to cancel" }, Ct)).JsonAsync();
        var id = created.GetProperty("id").GetString()!;
        var cancelled = await (await client.PostAsJsonAsync($"/api/v1/experiments/{id}/cancel", new { reason = "wrong config" }, Ct)).JsonAsync();
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Contains("wrong config", cancelled.GetProperty("error").GetString());
        Assert.True(cancelled.TryGetProperty("finishedAt", out var finished) && finished.ValueKind != System.Text.Json.JsonValueKind.Null);

        // A finished experiment takes no further transition (cancelling a completed one: ExperimentRunTests).
        await (await client.PostAsync($"/api/v1/experiments/{id}/pause", null, Ct)).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await client.PostAsync($"/api/v1/experiments/{id}/resume", null, Ct)).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task List_PagesWithContinuationTokens_NewestFirst()
    {
        using var client = await fixture.NewTenantClientAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var created = await (await client.PostAsJsonAsync("/api/v1/experiments", new { name = $"e{i}" }, Ct)).JsonAsync();
            ids.Add(created.GetProperty("id").GetString()!);
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var url = "/api/v1/experiments?limit=2" + (token is null ? string.Empty : $"&continuationToken={Uri.EscapeDataString(token)}");
            var page = await (await client.GetAsync(url, Ct)).JsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()!));
            token = page.GetProperty("continuationToken").GetString();
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(ids), seen);
    }

    [Fact]
    public async Task List_BadLimitOrToken_Is400()
    {
        using var client = await fixture.NewTenantClientAsync();
        var limit = await (await client.GetAsync("/api/v1/experiments?limit=0", Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("limit", limit.GetProperty("field").GetString());
        var token = await (await client.GetAsync("/api/v1/experiments?continuationToken=%25%25garbage", Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("continuationToken", token.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Events_StreamWhatHappensWhileSubscribed_AndEndAfterTheTerminalStatus()
    {
        using var client = await fixture.NewTenantClientAsync();
        var created = await (await client.PostAsJsonAsync("/api/v1/experiments", new { name = "streamed" }, Ct)).JsonAsync();
        var id = created.GetProperty("id").GetString()!;

        using var response = await client.GetAsync($"/api/v1/experiments/{id}/events", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));

        // Changes while the client is subscribed (a real run's stage and progress events: ExperimentRunTests).
        Assert.Equal(HttpStatusCode.OK, (await client.PatchAsJsonAsync($"/api/v1/experiments/{id}", new { name = "renamed" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/experiments/{id}/cancel", new { reason = "step 5/10 was enough" }, Ct)).StatusCode);

        var events = new List<(string Event, string Id, string Data)>();
        string? name = null, eventId = null, data = null;
        while (await reader.ReadLineAsync(Ct) is { } line)
        {
            // Fields of one event come in any order; a blank line dispatches it.
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
            else if (line.StartsWith("id: ", StringComparison.Ordinal)) eventId = line[4..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
            else if (line.Length == 0 && data is not null)
            {
                events.Add((name!, eventId!, data));
                (name, eventId, data) = (null, null, null);
            }
        }

        Assert.Equal(["status", "status", "status"], events.Select(e => e.Event));
        Assert.Equal(["1", "2", "3"], events.Select(e => e.Id));
        Assert.Contains("step 5/10 was enough", events[2].Data);
        Assert.Contains("\"cancelled\"", events[2].Data);

        // Resuming after an event id yields only what came after it, and ends at once after the terminal status.
        using var resume = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/experiments/{id}/events");
        resume.Headers.Add("Last-Event-ID", "2");
        var rest = await (await client.SendAsync(resume, Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("id: 3", rest);
        Assert.DoesNotContain("id: 2", rest);
    }
}
