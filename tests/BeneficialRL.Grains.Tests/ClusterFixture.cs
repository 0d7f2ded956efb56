using BeneficialRL.Storage.Blobs;
using BeneficialRL.Contracts.Cluster;
using BeneficialRL.Grains;
using BeneficialRL.Grains.Experiments;
using BeneficialRL.LocalInfrastructure;
using BeneficialRL.Storage.Artifacts;
using BeneficialRL.Storage.GrainState;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace BeneficialRL.Grains.Tests;

/// <summary>
/// An in-process cluster: <c>Silo_0</c> with the api role and one trainer silo (<c>Silo_1</c>; more with
/// <see cref="ClusterFixture(int)"/>), persisting grain state in a real Azurite through the blob grain storage provider.
/// The clock is a <see cref="FakeTimeProvider"/> the tests advance; experiment jobs run <see cref="ScriptedJobs"/>.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    private readonly int _trainers;
    private AzuriteServer? _azurite;

    /// <summary>An api silo and one trainer silo.</summary>
    public ClusterFixture()
        : this(trainers: 1)
    {
    }

    /// <summary>An api silo and <paramref name="trainers"/> trainer silos (<c>Silo_1</c>, <c>Silo_2</c>, …).</summary>
    protected ClusterFixture(int trainers) => _trainers = trainers;

    /// <summary>The running cluster.</summary>
    public InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>The clock every grain reads.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));

    /// <summary>A client of the cluster.</summary>
    public IClusterClient Client => Cluster.Client;

    /// <summary>Name of the trainer silo.</summary>
    public const string TrainerSilo = "Silo_1";

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var connectionString = _azurite.ConnectionString;
        var builder = new InProcessTestClusterBuilder((short)(1 + _trainers));
        builder.Options.ServiceId = $"grains-tests-{Guid.NewGuid():N}";
        builder.ConfigureSilo((options, silo) =>
        {
            var roles = options.SiloName == "Silo_0" ? new[] { SiloRoles.Api } : [SiloRoles.Trainer];
            silo.Services.AddSingleton<TimeProvider>(Clock);
            silo.Services.AddSingleton<ExperimentJobBody>(ScriptedJobs.RunAsync); // job news without tensor work
            silo.AddBeneficialRLGrains(options.SiloName, roles);
            silo.AddBlobGrainStorage(GrainStorageNames.Default, o => o.BlobServiceClient = BlobStorageClients.Create(connectionString));
            silo.UseInMemoryReminderService();
            silo.Services.AddBlobArtifactStore(connectionString);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null) await Cluster.DisposeAsync();
        if (_azurite is not null) await _azurite.DisposeAsync();
    }
}

/// <summary>The collection sharing one <see cref="ClusterFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    /// <summary>Collection name.</summary>
    public const string Name = "cluster";
}

/// <summary>An api silo and two trainer silos, for placement over several trainers.</summary>
public sealed class TwoTrainerClusterFixture() : ClusterFixture(trainers: 2);
