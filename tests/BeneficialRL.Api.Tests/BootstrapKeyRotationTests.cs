using System.Net;
using System.Net.Http.Json;
using BeneficialRL.Api.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace BeneficialRL.Api.Tests;

/// <summary>
/// <c>POST /api/v1/api-keys/bootstrap/rotate</c>, on a host of its own: the shared host's operator key must keep working.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Limits")]
public sealed class BootstrapKeyRotationTests(ApiFixture fixture)
{
    private const string Rotate = "/api/v1/api-keys/bootstrap/rotate";

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rotate_WithConfiguredKey_RetiresItAndReturnsAWorkingKeyMarkedNoStore()
    {
        await using var host = await LimitedHost.StartAsync(fixture, new Dictionary<string, string?>(), Ct);
        using var configured = host.Client(host.OperatorKey);

        var response = await configured.PostAsync(Rotate, null, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "a response carrying a secret must be marked Cache-Control: no-store");
        var rotated = await response.JsonAsync();
        var secret = rotated.GetProperty("secret").GetString()!;
        Assert.Equal(host.OperatorTenant, rotated.GetProperty("tenant").GetString());
        Assert.Equal(["read", "write", "admin"], rotated.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(1, rotated.GetProperty("revokedKeyIds").GetArrayLength());

        var refused = await (await configured.GetAsync("/api/v1/api-keys", Ct)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", refused.GetProperty("detail").GetString());
        using var renewed = host.Client(secret);
        Assert.Equal(HttpStatusCode.OK, (await renewed.GetAsync("/api/v1/api-keys", Ct)).StatusCode);
    }

    [Fact]
    public async Task Rotate_Twice_RevokesTheFirstRotatedKey()
    {
        await using var host = await LimitedHost.StartAsync(fixture, new Dictionary<string, string?>(), Ct);
        using var configured = host.Client(host.OperatorKey);
        var first = (await (await configured.PostAsync(Rotate, null, Ct)).JsonAsync()).GetProperty("secret").GetString();
        using var firstClient = host.Client(first);

        var second = await (await firstClient.PostAsync(Rotate, null, Ct)).JsonAsync();
        using var secondClient = host.Client(second.GetProperty("secret").GetString());

        await (await firstClient.GetAsync("/api/v1/api-keys", Ct)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await configured.GetAsync("/api/v1/api-keys", Ct)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await secondClient.GetAsync("/api/v1/api-keys", Ct)).StatusCode);
    }

    [Fact]
    public async Task Rotate_ByAnotherTenantsAdmin_Is403AndChangesNothing()
    {
        await using var host = await LimitedHost.StartAsync(fixture, new Dictionary<string, string?>(), Ct);
        using var tenantAdmin = host.Client((await host.CreateKeyAsync()).Key);

        await (await tenantAdmin.PostAsync(Rotate, null, Ct)).AssertProblemAsync(HttpStatusCode.Forbidden);
        using var configured = host.Client(host.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, (await configured.GetAsync("/api/v1/api-keys", Ct)).StatusCode);
    }

    [Fact]
    public async Task SiloHost_WithBootstrapKey_LogsItsKeyIdButNeverTheSecret()
    {
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using (var host = await LimitedHost.StartAsync(fixture, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" }, Ct,
            builder => builder.Logging.AddProvider(new CollectingLoggerProvider(lines))))
        {
            using var configured = host.Client(host.OperatorKey);
            Assert.Equal(HttpStatusCode.OK, (await configured.PostAsync(Rotate, null, Ct)).StatusCode);
            await (await configured.GetAsync("/api/v1/api-keys", Ct)).AssertProblemAsync(HttpStatusCode.Unauthorized);

            var keyId = BeneficialRL.Contracts.Tenancy.ApiKeySecrets.KeyIdFromHash(BeneficialRL.Contracts.Tenancy.ApiKeySecrets.Hash(host.OperatorKey));
            Assert.Contains(lines, l => l.Contains(keyId, StringComparison.Ordinal) && l.Contains("Bootstrap admin key", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains(host.OperatorKey, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task CreateKey_Response_IsMarkedNoStore()
    {
        using var admin = await fixture.NewTenantClientAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "ci", scopes = new[] { "read" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }
}

/// <summary>Collects every formatted log message (and exception text) of a host.</summary>
internal sealed class CollectingLoggerProvider(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Collector(lines);

    public void Dispose()
    {
    }

    private sealed class Collector(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception) + (exception is null ? string.Empty : " " + exception));
    }
}
