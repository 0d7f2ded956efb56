using System.Globalization;
using Azure;
using BeneficialRL.LocalInfrastructure;
using BeneficialRL.SiloHost;
using BeneficialRL.Storage.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Polly.Registry;

namespace BeneficialRL.Api.Tests;

/// <summary>The silo host builds its one blob pipeline from <c>Storage:Resilience</c>, chaos injection included.</summary>
public sealed class StorageChaosConfigurationTests
{
    [Fact]
    public async Task Build_ChaosFaultRateConfigured_EveryBlobCallThroughThePipelineFailsWithTheInjected503()
    {
        await using var silo = Build(new()
        {
            ["Storage:Resilience:MaxRetryAttempts"] = "0",
            ["Storage:Resilience:Chaos:FaultRate"] = "1",
        });
        var pipeline = silo.Services.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(BlobStorageResilience.PipelineName);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => pipeline.ExecuteAsync(_ => ValueTask.CompletedTask, TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(503, failure.Status);
        Assert.Equal("ServerBusy", failure.ErrorCode);
    }

    [Fact]
    public async Task Build_NoChaosConfigured_ThePipelineRunsCallsUntouched()
    {
        await using var silo = Build([]);
        var pipeline = silo.Services.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(BlobStorageResilience.PipelineName);

        var calls = 0;
        for (var i = 0; i < 50; i++) await pipeline.ExecuteAsync(_ => { calls++; return ValueTask.CompletedTask; }, TestContext.Current.CancellationToken);

        Assert.Equal(50, calls);
    }

    [Fact]
    public void Build_ChaosRateOutOfRange_FailsAtStartNamingTheSetting()
    {
        var error = Assert.ThrowsAny<Exception>(() =>
        {
            using var silo = Build(new() { ["Storage:Resilience:Chaos:FaultRate"] = "5" });
            silo.Services.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(BlobStorageResilience.PipelineName);
        });

        Assert.Contains("Storage:Resilience:Chaos:FaultRate", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Builds (does not start) a silo host; nothing connects to the storage account it names.</summary>
    private static Microsoft.AspNetCore.Builder.WebApplication Build(Dictionary<string, string?> settings) =>
        SiloHostApp.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["ConnectionStrings:blobs"] = "UseDevelopmentStorage=true",
            ["Silo:SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Silo:GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
        }));
}
