using BeneficialRL.Storage.Blobs;
using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Grains.Hosting;
using BeneficialRL.Contracts.Cluster;
using BeneficialRL.LocalInfrastructure;
using BeneficialRL.Storage.Artifacts;
using BeneficialRL.Storage.GrainState;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace BeneficialRL.Grains.Tests.Hosting;

/// <summary>
/// A state write whose retries ran out during a storage outage leaves the grain's memory ahead of what is stored. The
/// caller is told to try again (503), so the retry must meet the stored state, not the unstored one: the grain is
/// deactivated by <see cref="TransientFailureCallFilter"/>. Own Azurite (restartable, with a data folder) and silo.
/// </summary>
public sealed class StorageOutageTests : IAsyncLifetime
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("brl-outage-");
    private AzuriteServer _azurite = null!;
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions { DataDirectory = _data.FullName }, ct);
        var connectionString = _azurite.ConnectionString;
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = $"outage-tests-{Guid.NewGuid():N}";
        builder.ConfigureSilo((options, silo) =>
        {
            silo.AddBeneficialRLGrains(options.SiloName, [SiloRoles.Api, SiloRoles.Trainer]);
            silo.AddBlobGrainStorage(GrainStorageNames.Default, o => o.BlobServiceClient = BlobStorageClients.Create(connectionString));
            silo.UseInMemoryReminderService();
            silo.Services.AddBlobArtifactStore(connectionString);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
        if (_azurite is not null) await _azurite.DisposeAsync();
        _data.Delete(recursive: true);
    }

    [Fact]
    public async Task Submit_WhoseWriteFailsInAnOutage_IsRetriedAfterwardsAgainstTheStoredState()
    {
        var ct = TestContext.Current.CancellationToken;
        var experiment = _cluster.Client.GetGrain<IExperimentGrain>(ResourceKey.For("acme", ResourceKey.NewId("exp")));
        await experiment.CreateAsync(new ExperimentSpec { Name = "outage" });

        var outage = _azurite.RestartAsync(TimeSpan.FromSeconds(15), ct);
        await Task.Delay(TimeSpan.FromSeconds(1), ct); // Azurite stops within this (SIGTERM), then stays down 15 s
        await Assert.ThrowsAsync<TransientInfrastructureException>(() => experiment.SubmitAsync());
        await outage;

        Assert.Equal(ExperimentStatus.Created, (await experiment.GetAsync())!.Status);
        Assert.Equal(ExperimentStatus.Queued, (await experiment.SubmitAsync()).Status);
    }

    [Fact]
    public async Task Activation_WhileStorageIsDownAndItsCircuitOpen_FailsWithAnExceptionCallersReadAsTransient()
    {
        var ct = TestContext.Current.CancellationToken;
        var outage = _azurite.RestartAsync(TimeSpan.FromSeconds(20), ct);
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        var failures = new List<Exception>();
        for (var i = 0; i < 8; i++)
        {
            // Each activation reads its state: enough failed reads open the blob circuit, and later ones meet it open.
            var experiment = _cluster.Client.GetGrain<IExperimentGrain>(ResourceKey.For("acme", ResourceKey.NewId("exp")));
            failures.Add(await Assert.ThrowsAnyAsync<Exception>(() => experiment.GetAsync()));
        }

        await outage;

        Assert.All(failures, e => Assert.True(BeneficialRL.Grains.Workers.TransientFailures.IsTransient(e), e.ToString()));
        Assert.All(failures, e => Assert.DoesNotContain("codec", e.ToString(), StringComparison.OrdinalIgnoreCase));
    }
}
