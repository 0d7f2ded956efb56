using Azure.Storage.Blobs;
using BeneficialRL.LocalInfrastructure;
using BeneficialRL.Storage.Artifacts;
using BeneficialRL.Storage.Blobs;
using BeneficialRL.Storage.GrainState;
using BeneficialRL.Storage.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using Orleans.Storage;
using Polly;

namespace BeneficialRL.Storage.Tests.Infrastructure;

/// <summary>
/// One real Azurite (in memory) and one real Orleans silo using it for grain storage, shared by the test
/// collection. Tests isolate themselves with unique container names and grain ids.
/// </summary>
public sealed class StorageFixture : IAsyncLifetime
{
    /// <summary>The provider name the silo registers blob grain storage under.</summary>
    public const string GrainStorageName = "blobs";

    private IHost? _silo;

    /// <summary>The running Azurite.</summary>
    public AzuriteServer Azurite { get; private set; } = null!;

    /// <summary>The silo's services (grain factory, serializers, activators).</summary>
    public IServiceProvider SiloServices => _silo!.Services;

    /// <summary>A client for Azurite with the SDK's retries off, as the product creates it.</summary>
    public BlobServiceClient BlobServiceClient { get; private set; } = null!;

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        Azurite = await AzuriteServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        BlobServiceClient = BlobStorageClients.Create(Azurite.ConnectionString);

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: FreePorts.Next(), gatewayPort: FreePorts.Next())
            .Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = "storage-tests";
                cluster.ServiceId = $"storage-tests-{Guid.NewGuid():N}";
            })
            .AddBlobGrainStorage(GrainStorageName, options => options.BlobServiceClient = BlobServiceClient));
        _silo = builder.Build();
        await _silo.StartAsync(TestContext.Current.CancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.StopAsync(CancellationToken.None);
            _silo.Dispose();
        }

        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }
    }

    /// <summary>A container name no other test uses.</summary>
    public static string UniqueContainerName(string purpose) => $"{purpose}-{Guid.NewGuid():N}"[..Math.Min(63, purpose.Length + 33)];

    /// <summary>A grain storage provider over its own fresh container, built from the silo's services and started.</summary>
    /// <remarks>The serializer is the product's <see cref="GrainStateSerializer"/> unless <paramref name="serializer"/> names another.</remarks>
    public async Task<ResilientGrainStorage> CreateGrainStorageAsync(string containerName, BlobServiceClient? client = null, IGrainStorageSerializer? serializer = null)
    {
        var options = new AzureBlobStorageOptions
        {
            ContainerName = containerName,
            BlobServiceClient = client ?? BlobServiceClient,
            GrainStorageSerializer = serializer ?? SiloServices.GetRequiredService<GrainStateSerializer>(),
        };
        var storage = ResilientGrainStorage.Create(SiloServices, $"test-{containerName}", options);
        await storage.InitializeAsync(TestContext.Current.CancellationToken);
        return storage;
    }

    /// <summary>An artifact store over its own fresh container.</summary>
    public BlobArtifactStore CreateArtifactStore(string containerName, BlobServiceClient? client = null, ResiliencePipeline? pipeline = null, int? blockSizeBytes = null)
    {
        var options = new ArtifactStoreOptions { ContainerName = containerName };
        if (blockSizeBytes is { } blockSize)
        {
            options.BlockSizeBytes = blockSize;
        }

        return new BlobArtifactStore(
            client ?? BlobServiceClient,
            options,
            pipeline ?? BlobStorageResilience.Build(),
            NullLogger<BlobArtifactStore>.Instance);
    }

    /// <summary>The service id the silo's grain storage writes under.</summary>
    public string ServiceId => SiloServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ClusterOptions>>().Value.ServiceId;
}
