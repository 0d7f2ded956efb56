using BeneficialRL.Contracts.Resources;
using BeneficialRL.Storage.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Storage;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;

namespace BeneficialRL.Storage.GrainState;

/// <summary>
/// Grain state on the official Orleans blob provider (<see cref="AzureBlobGrainStorage"/>: one blob per state,
/// optimistic concurrency on ETags, <see cref="InconsistentStateException"/> on a lost race), with what the silos add:
/// every call through the <c>blob-storage</c> resilience pipeline (retry, circuit breaker, timeout and, when configured,
/// chaos), failures callers can read, one container per service, and the state stored under the old provider's names
/// moved at start.
/// </summary>
public sealed class ResilientGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly string _name;
    private readonly AzureBlobGrainStorage _inner;
    private readonly GrainStateContainer _container;
    private readonly AzureBlobStorageOptions _options;
    private readonly LegacyGrainStateMigration _migration;
    private readonly ResiliencePipeline _pipeline;
    private readonly string _serviceId;

    private ResilientGrainStorage(string name, AzureBlobStorageOptions options, IServiceProvider services)
    {
        new AzureBlobStorageOptionsValidator(options, name).ValidateConfiguration();
        _name = name;
        _options = options;
        _pipeline = services.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(BlobStorageResilience.PipelineName);
        _serviceId = services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId;
        _container = new GrainStateContainer(GrainStateContainerNames.For(options.ContainerName, _serviceId), _pipeline);
        _inner = ActivatorUtilities.CreateInstance<AzureBlobGrainStorage>(services, name, options, _container);
        _migration = ActivatorUtilities.CreateInstance<LegacyGrainStateMigration>(services, _pipeline);
    }

    /// <summary>The provider named <paramref name="name"/>, from its named <see cref="AzureBlobStorageOptions"/>.</summary>
    public static ResilientGrainStorage Create(IServiceProvider services, string name) =>
        Create(services, name, services.GetRequiredService<IOptionsMonitor<AzureBlobStorageOptions>>().Get(name));

    /// <summary>A provider over <paramref name="options"/> (tests make one per container); call <see cref="InitializeAsync"/> when no silo lifecycle runs it.</summary>
    public static ResilientGrainStorage Create(IServiceProvider services, string name, AzureBlobStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.GrainStorageSerializer ??= services.GetRequiredService<GrainStateSerializer>();
        return new ResilientGrainStorage(name, options, services);
    }

    /// <summary>The container this service's state lives in (after start): see <see cref="GrainStateContainerNames"/>.</summary>
    public Azure.Storage.Blobs.BlobContainerClient Container => _container.Client;

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync(() => _inner.ReadStateAsync(stateName, grainId, grainState));

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync(() => _inner.WriteStateAsync(stateName, grainId, grainState));

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync(() => _inner.ClearStateAsync(stateName, grainId, grainState));

    /// <summary>The official provider's start (the container), then the move of state stored under the old names, before grains activate.</summary>
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        _inner.Participate(lifecycle);
        lifecycle.Subscribe(OptionFormattingUtilities.Name<ResilientGrainStorage>(_name), _options.InitStage + 1, MigrateAsync);
    }

    /// <summary>What the silo lifecycle does at start, for a provider used without one.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _container.InitializeAsync(Client).ConfigureAwait(false);
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
    }

    private Azure.Storage.Blobs.BlobServiceClient Client => _options.BlobServiceClient ?? throw new InvalidOperationException($"Grain storage '{_name}' has no blob client.");

    private Task MigrateAsync(CancellationToken cancellationToken) =>
        // The old provider kept every service's state in the configured container, under a {serviceId}/ prefix.
        _migration.MigrateAsync(Client.GetBlobContainerClient(_options.ContainerName), _container.Client, _serviceId, cancellationToken);

    private async Task RunAsync(Func<Task> call)
    {
        try
        {
            // The provider changes the grain state only when a call succeeds, so a retried call starts from the same ETag.
            await _pipeline.ExecuteAsync(async _ => await call().ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (Exception exception) when (BlobStorageResilience.IsTransient(exception) || exception is BrokenCircuitException)
        {
            // A grain activation that fails reading state reaches its caller without any grain call filter, and Polly's
            // exceptions (an open circuit) have no Orleans codec: the caller would see a serialization error, not "try again".
            throw new TransientInfrastructureException($"Blob storage is unavailable for now: {exception.GetType().Name}: {exception.Message}");
        }
    }
}
