using System.Collections.Concurrent;
using System.Globalization;
using BeneficialRL.Api.Tests.Infrastructure;
using BeneficialRL.LocalInfrastructure;
using BeneficialRL.SiloHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace BeneficialRL.Api.Tests;

/// <summary>
/// With OTEL_EXPORTER_OTLP_ENDPOINT set, a silo host exports traces, metrics and logs over OTLP/HTTP;
/// a real HTTP receiver on loopback records what arrives.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TelemetryExportTests(ApiFixture fixture)
{
    [Fact]
    public async Task SiloHost_WithOtlpEndpoint_ExportsTracesMetricsAndLogs()
    {
        var ct = TestContext.Current.CancellationToken;
        var received = new ConcurrentDictionary<string, int>();
        var receiverPort = FreePorts.Next();
        var receiverBuilder = WebApplication.CreateSlimBuilder();
        receiverBuilder.WebHost.UseUrls($"http://127.0.0.1:{receiverPort}");
        receiverBuilder.Logging.ClearProviders();
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/v1/{signal}", (string signal) =>
        {
            received.AddOrUpdate(signal, 1, (_, n) => n + 1);
            return Results.Ok();
        });
        await receiver.StartAsync(ct);

        var apiPort = FreePorts.Next();
        await using var silo = SiloHostApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:blobs"] = fixture.AzuriteConnectionString,
                ["Auth:BootstrapAdminKey"] = "brl_otel-test",
                ["Silo:Name"] = "otel-silo",
                ["Silo:SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
                ["Silo:GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
                ["Orleans:ClusterId"] = $"otel-{Guid.NewGuid():N}",
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{receiverPort}",
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            });
            builder.WebHost.UseUrls($"http://127.0.0.1:{apiPort}");
        });
        await silo.StartAsync(ct);

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}") };
        client.DefaultRequestHeaders.Authorization = new("Bearer", "brl_otel-test");
        (await client.GetAsync("/api/v1/experiments", ct)).EnsureSuccessStatusCode();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !(received.ContainsKey("traces") && received.ContainsKey("metrics") && received.ContainsKey("logs")))
        {
            await Task.Delay(200, ct);
        }

        await silo.StopAsync(ct);
        Assert.True(received.ContainsKey("traces"), $"no traces exported; got: {string.Join(", ", received.Keys)}");
        Assert.True(received.ContainsKey("metrics"), $"no metrics exported; got: {string.Join(", ", received.Keys)}");
        Assert.True(received.ContainsKey("logs"), $"no logs exported; got: {string.Join(", ", received.Keys)}");
    }
}
