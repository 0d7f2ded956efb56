using BeneficialRL.Contracts.Resources;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using BeneficialRL.Storage.Blobs;
using BeneficialRL.Storage.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;

namespace BeneficialRL.Storage.GrainState;

/// <summary>
/// Orleans grain storage with one blob per grain state (see <see cref="GrainStateBlobNames"/>), optimistic
/// concurrency on blob ETags, and every request through the <c>blob-storage</c> resilience pipeline.
/// </summary>
/// <remarks>
/// Create uses <c>If-None-Match: *</c>, update <c>If-Match: etag</c>; a 409 or 412 becomes an
/// <see cref="InconsistentStateException"/> and is never retried. Clear deletes the blob with <c>If-Match: etag</c>
/// (no tombstone): afterwards the state reads as missing and the next write creates it again.
/// </remarks>
public sealed partial class BlobGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private const string StateContentType = "application/octet-stream";

    private readonly string _name;
    private readonly BlobGrainStorageOptions _options;
    private readonly string _serviceId;
    private readonly IActivatorProvider _activatorProvider;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger<BlobGrainStorage> _logger;
    private readonly BlobContainerClient _container;

    /// <summary>Creates the provider; <see cref="BlobGrainStorageFactory"/> calls this with the named options.</summary>
    public BlobGrainStorage(
        string name,
        BlobGrainStorageOptions options,
        IOptions<ClusterOptions> clusterOptions,
        IActivatorProvider activatorProvider,
        IServiceProvider services,
        ILogger<BlobGrainStorage> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clusterOptions);
        ArgumentNullException.ThrowIfNull(services);
        new BlobGrainStorageOptionsValidator(options, name).ValidateConfiguration();
        _name = name;
        _options = options;
        _serviceId = clusterOptions.Value.ServiceId;
        _activatorProvider = activatorProvider;
        _logger = logger;
        _pipeline = services.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(BlobStorageResilience.PipelineName);
        var client = options.BlobServiceClient
            ?? (options.ConnectionString is { } connectionString ? BlobStorageClients.Create(connectionString) : null)
            ?? services.GetService<BlobServiceClient>()
            ?? throw new InvalidOperationException(
                $"Blob grain storage '{name}' has no blob client: set ConnectionString or BlobServiceClient in its options, or register a BlobServiceClient (AddBlobArtifactStore does).");
        _container = client.GetBlobContainerClient(options.ContainerName);
    }

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var blob = _container.GetBlobClient(GrainStateBlobNames.For(_serviceId, grainId, stateName));
        BlobDownloadResult downloaded;
        try
        {
            downloaded = await _pipeline.ExecuteAsync(
                async token => (await blob.DownloadContentAsync(token).ConfigureAwait(false)).Value,
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            // BlobNotFound or ContainerNotFound: the state was never written (or was cleared).
            LogStateMissing(_name, grainId, stateName, blob.Name);
            ResetToMissing(grainState);
            return;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogReadFailed(exception, _name, grainId, stateName, blob.Name);
            throw Readable(exception);
        }

        try
        {
            grainState.State = downloaded.Content.ToMemory().IsEmpty
                ? CreateDefault<T>()
                : _options.GrainStorageSerializer.Deserialize<T>(downloaded.Content);
        }
        catch (Exception exception)
        {
            LogReadFailed(exception, _name, grainId, stateName, blob.Name);
            throw new InvalidOperationException(
                $"Blob grain storage '{_name}': blob '{blob.Name}' in container '{_container.Name}' does not hold a valid {typeof(T).Name}: {exception.Message}",
                exception);
        }

        grainState.ETag = downloaded.Details.ETag.ToString();
        grainState.RecordExists = true;
        LogStateRead(_name, grainId, stateName, grainState.ETag);
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var blob = _container.GetBlobClient(GrainStateBlobNames.For(_serviceId, grainId, stateName));
        var content = _options.GrainStorageSerializer.Serialize(grainState.State);
        var conditions = ConditionsFor(grainState.ETag);
        BlobContentInfo written;
        try
        {
            written = await UploadAsync(blob, content, conditions, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (exception.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // Deleted behind our back (or never initialised when used outside a silo): create it and write once more.
            await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                written = await UploadAsync(blob, content, conditions, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException retryException) when (IsConcurrencyConflict(retryException, grainState.ETag))
            {
                throw Inconsistent("write", grainId, stateName, blob.Name, grainState.ETag, retryException);
            }
        }
        catch (RequestFailedException exception) when (IsConcurrencyConflict(exception, grainState.ETag))
        {
            throw Inconsistent("write", grainId, stateName, blob.Name, grainState.ETag, exception);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogWriteFailed(exception, _name, grainId, stateName, blob.Name);
            throw Readable(exception);
        }

        grainState.ETag = written.ETag.ToString();
        grainState.RecordExists = true;
        LogStateWritten(_name, grainId, stateName, grainState.ETag);
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var blob = _container.GetBlobClient(GrainStateBlobNames.For(_serviceId, grainId, stateName));
        var conditions = ConditionsFor(grainState.ETag);
        try
        {
            // A missing blob (404) is already clear; DeleteIfExists reports it as false.
            await _pipeline.ExecuteAsync(
                async token => (await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, conditions, token).ConfigureAwait(false)).Value,
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (IsConcurrencyConflict(exception, grainState.ETag))
        {
            throw Inconsistent("clear", grainId, stateName, blob.Name, grainState.ETag, exception);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogClearFailed(exception, _name, grainId, stateName, blob.Name);
            throw Readable(exception);
        }

        ResetToMissing(grainState);
        LogStateCleared(_name, grainId, stateName);
    }

    /// <summary>Creates the container at <see cref="BlobGrainStorageOptions.InitStage"/> of silo start.</summary>
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(OptionFormattingUtilities.Name<BlobGrainStorage>(_name), _options.InitStage, EnsureContainerAsync);
    }

    /// <summary>Creates the state container when missing.</summary>
    public async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        await _pipeline.ExecuteAsync(
            async token => await _container.CreateIfNotExistsAsync(cancellationToken: token).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        LogContainerReady(_name, _container.Name);
    }

    private static BlobRequestConditions ConditionsFor(string? etag) =>
        etag is null
            ? new BlobRequestConditions { IfNoneMatch = ETag.All }
            : new BlobRequestConditions { IfMatch = new ETag(etag) };

    /// <summary>
    /// 409/412: another writer got there first. A 404 on a conditional update means the blob we held an ETag
    /// for has been deleted by someone else: also a lost race, not an absence.
    /// </summary>
    private static bool IsConcurrencyConflict(RequestFailedException exception, string? etag) =>
        exception.Status is 409 or 412 || (exception.Status == 404 && etag is not null && exception.ErrorCode != BlobErrorCode.ContainerNotFound);

    private async Task<BlobContentInfo> UploadAsync(BlobClient blob, BinaryData content, BlobRequestConditions conditions, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(
            async token => (await blob.UploadAsync(
                content,
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = StateContentType }, Conditions = conditions },
                token).ConfigureAwait(false)).Value,
            cancellationToken).ConfigureAwait(false);

    private InconsistentStateException Inconsistent(string operation, GrainId grainId, string stateName, string blobName, string? etag, RequestFailedException exception)
    {
        LogConflict(_name, operation, grainId, stateName, etag, exception.Status);
        return new InconsistentStateException(
            $"Blob grain storage '{_name}': {operation} of state '{stateName}' of {grainId} lost an optimistic-concurrency race " +
            $"(blob '{blobName}' in container '{_container.Name}', status {exception.Status} {exception.ErrorCode}): another activation wrote it since ETag {etag ?? "(none)"} was read.",
            storedEtag: "Unknown",
            currentEtag: etag ?? string.Empty,
            exception);
    }

    private void ResetToMissing<T>(IGrainState<T> grainState)
    {
        grainState.State = CreateDefault<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private T CreateDefault<T>() => _activatorProvider.GetActivator<T>().Create();

    /// <summary>
    /// A failure the blob pipeline counts as transient becomes a <see cref="TransientInfrastructureException"/>: a grain
    /// activation that fails reading state reaches its caller without any grain call filter, and Polly's exceptions
    /// (an open circuit) have no Orleans codec, so the caller would see a serialization error instead of "try again".
    /// </summary>
    private static Exception Readable(Exception exception) =>
        BlobStorageResilience.IsTransient(exception) || exception is BrokenCircuitException
            ? new TransientInfrastructureException($"Blob storage is unavailable for now: {exception.GetType().Name}: {exception.Message}")
            : exception;
}
