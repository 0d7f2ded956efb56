using BeneficialRL.Primitives.Layout;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using BeneficialRL.Primitives.Hashing;
using BeneficialRL.Storage.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace BeneficialRL.Storage.Artifacts;

/// <summary>
/// <see cref="IArtifactStore"/> on Azure Blob Storage (Azurite locally): streamed block uploads hashed on the
/// fly, conditional commits for immutability, ranged reads, every request through the <c>blob-storage</c> pipeline.
/// </summary>
public sealed partial class BlobArtifactStore : IArtifactStore
{
    private readonly BlobContainerClient _container;
    private readonly ArtifactStoreOptions _options;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger<BlobArtifactStore> _logger;
    private readonly SemaphoreSlim _containerGate = new(1, 1);
    private volatile bool _containerReady;

    /// <summary>Creates the store with the <c>blob-storage</c> pipeline from <paramref name="pipelines"/> (the DI path).</summary>
    public BlobArtifactStore(
        BlobServiceClient blobServiceClient,
        IOptions<ArtifactStoreOptions> options,
        ResiliencePipelineProvider<string> pipelines,
        ILogger<BlobArtifactStore> logger)
        : this(blobServiceClient, options.Value, pipelines.GetPipeline(BlobStorageResilience.PipelineName), logger)
    {
    }

    /// <summary>Creates the store with an explicit pipeline (tests, tools without dependency injection).</summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public BlobArtifactStore(BlobServiceClient blobServiceClient, ArtifactStoreOptions options, ResiliencePipeline pipeline, ILogger<BlobArtifactStore> logger)
    {
        ArgumentNullException.ThrowIfNull(blobServiceClient);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = options;
        _pipeline = pipeline;
        _logger = logger;
        _container = blobServiceClient.GetBlobContainerClient(options.ContainerName);
    }

    /// <summary>Creates the container when missing; called at host start and lazily before the first write.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_containerReady)
        {
            return;
        }

        await _containerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_containerReady)
            {
                await _pipeline.ExecuteAsync(async token => await _container.CreateIfNotExistsAsync(cancellationToken: token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                _containerReady = true;
                LogContainerReady(_container.Name);
            }
        }
        finally
        {
            _containerGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<ArtifactInfo> PutAsync(
        string path,
        Stream content,
        string contentType,
        ArtifactWriteMode mode = ArtifactWriteMode.Immutable,
        IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default)
    {
        BlobPaths.ValidatePath(path, nameof(path));
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        ArtifactPaths.ValidateMetadata(metadata);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);

        var immutable = mode switch
        {
            ArtifactWriteMode.Immutable => true,
            ArtifactWriteMode.Replace => false,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown write mode."),
        };
        if (immutable && await GetInfoAsync(path, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            // An idempotent retry needs only the hash, not a second upload of the same bytes.
            var (hash, _) = await ArtifactHash.ComputeAsync(content, null, cancellationToken).ConfigureAwait(false);
            return SameContentOrThrow(existing, hash);
        }

        var blob = _container.GetBlockBlobClient(path);
        var conditions = immutable ? new BlobRequestConditions { IfNoneMatch = ETag.All } : null;
        var headers = new BlobHttpHeaders { ContentType = contentType };
        var (uploaded, sha256) = await UploadAsync(blob, content, headers, metadata, conditions, cancellationToken).ConfigureAwait(false);
        if (uploaded is not null)
        {
            LogUploaded(path, uploaded.Length, uploaded.Sha256);
            return uploaded;
        }

        // Someone (or a lost response to our own earlier attempt) committed first: the same bytes are fine.
        var winner = await GetInfoAsync(path, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Artifact '{path}' was reported as existing (If-None-Match: * failed) yet cannot be found.");
        return SameContentOrThrow(winner, sha256);
    }

    /// <inheritdoc />
    public async Task<ArtifactInfo> PutContentAddressedAsync(string prefix, string extension, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        ArgumentNullException.ThrowIfNull(extension);
        ArgumentNullException.ThrowIfNull(content);
        if (extension.Length > 0 && (extension[0] != '.' || extension.Contains('/', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"Extension '{extension}' must be empty or start with '.' and contain no '/'.", nameof(extension));
        }

        var folder = prefix.TrimEnd('/');
        BlobPaths.ValidatePath(folder, nameof(prefix));
        var temporaryPath = Path.Combine(Path.GetTempPath(), $"beneficialrl-artifact-{Guid.NewGuid():N}.tmp");
        await using var spool = new FileStream(
            temporaryPath,
            FileMode.CreateNew,
            FileAccess.ReadWrite,
            FileShare.None,
            bufferSize: 1024 * 1024,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        var (hash, _) = await ArtifactHash.ComputeAsync(content, spool, cancellationToken).ConfigureAwait(false);
        var path = $"{folder}/{hash}{extension}";
        if (await GetInfoAsync(path, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return SameContentOrThrow(existing, hash);
        }

        spool.Position = 0;
        return await PutAsync(path, spool, contentType, ArtifactWriteMode.Immutable, metadata: null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        BlobPaths.ValidatePath(path, nameof(path));
        var blob = _container.GetBlobClient(path);
        BlobProperties properties;
        try
        {
            properties = await _pipeline.ExecuteAsync(
                async token => (await blob.GetPropertiesAsync(cancellationToken: token).ConfigureAwait(false)).Value,
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            throw new ArtifactNotFoundException(path, _container.Name, exception);
        }

        return new BlobRangeReadStream(blob, properties.ContentLength, properties.ETag, _pipeline, _options.DownloadChunkBytes);
    }

    /// <inheritdoc />
    public async Task<ArtifactInfo?> GetInfoAsync(string path, CancellationToken cancellationToken = default)
    {
        BlobPaths.ValidatePath(path, nameof(path));
        var blob = _container.GetBlobClient(path);
        try
        {
            var properties = await _pipeline.ExecuteAsync(
                async token => (await blob.GetPropertiesAsync(cancellationToken: token).ConfigureAwait(false)).Value,
                cancellationToken).ConfigureAwait(false);
            return ToInfo(path, properties.ContentLength, properties.ContentType, properties.LastModified, properties.Metadata);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        string? continuation = null;
        do
        {
            var token = continuation;
            Page<BlobItem>? page;
            try
            {
                page = await _pipeline.ExecuteAsync(
                    async ct =>
                    {
                        // One page per attempt, so a failed page is retried alone instead of restarting the listing.
                        var pages = _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, Traits = BlobTraits.Metadata }, ct).AsPages(token, pageSizeHint: 500);
                        await using var enumerator = pages.GetAsyncEnumerator(ct);
                        return await enumerator.MoveNextAsync().ConfigureAwait(false) ? enumerator.Current : null;
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException exception) when (exception.ErrorCode == BlobErrorCode.ContainerNotFound)
            {
                yield break;
            }

            if (page is null)
            {
                yield break;
            }

            foreach (var item in page.Values)
            {
                yield return ToInfo(
                    item.Name,
                    item.Properties.ContentLength ?? 0,
                    item.Properties.ContentType,
                    item.Properties.LastModified ?? DateTimeOffset.MinValue,
                    item.Metadata);
            }

            continuation = page.ContinuationToken;
        }
        while (!string.IsNullOrEmpty(continuation));
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        BlobPaths.ValidatePath(path, nameof(path));
        var blob = _container.GetBlobClient(path);
        var deleted = await _pipeline.ExecuteAsync(
            async token => (await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: token).ConfigureAwait(false)).Value,
            cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            LogDeleted(path);
        }

        return deleted;
    }

    private static ArtifactInfo SameContentOrThrow(ArtifactInfo existing, string newHash) =>
        string.Equals(existing.Sha256, newHash, StringComparison.Ordinal)
            ? existing
            : throw new ArtifactConflictException(existing.Path, existing.Sha256, newHash);

    private static ArtifactInfo ToInfo(string path, long length, string? contentType, DateTimeOffset lastModified, IDictionary<string, string>? metadata)
    {
        var hash = string.Empty;
        var callerMetadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in metadata ?? new Dictionary<string, string>())
        {
            if (string.Equals(name, ArtifactPaths.Sha256MetadataKey, StringComparison.OrdinalIgnoreCase))
            {
                hash = value;
            }
            else
            {
                callerMetadata[name] = value;
            }
        }

        return new ArtifactInfo(path, length, hash, contentType ?? "application/octet-stream", lastModified, callerMetadata);
    }

    private static Dictionary<string, string> BuildMetadata(IReadOnlyDictionary<string, string>? metadata, string hash)
    {
        var result = metadata?.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase)
            ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        result[ArtifactPaths.Sha256MetadataKey] = hash;
        return result;
    }

    /// <summary>
    /// Block ids carry an id of this upload: uncommitted blocks are shared per blob, so two concurrent uploads to one
    /// path with plain indices could overwrite each other's blocks and commit a mix. All ids of a blob have one length.
    /// </summary>
    private static string BlockId(Guid uploadId, int index) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"{uploadId:N}-{index:D6}"));

    /// <summary>
    /// Reads the first block: content that fits is sent as one request with its hash; larger content is
    /// staged block by block (up to <see cref="ArtifactStoreOptions.UploadConcurrency"/> in flight) and committed
    /// with the hash once the last block has been read. Each block stays in memory until staged so that the
    /// pipeline can retry it. Returns a null info (and the hash) when the conditional write found the blob present.
    /// </summary>
    private async Task<(ArtifactInfo? Info, string Sha256)> UploadAsync(
        BlockBlobClient blob,
        Stream content,
        BlobHttpHeaders headers,
        IReadOnlyDictionary<string, string>? metadata,
        BlobRequestConditions? conditions,
        CancellationToken cancellationToken)
    {
        var blockSize = _options.BlockSizeBytes;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var first = ArrayPool<byte>.Shared.Rent(blockSize);
        var firstLength = await content.ReadAtLeastAsync(first.AsMemory(0, blockSize), blockSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        hash.AppendData(first, 0, firstLength);
        if (firstLength < blockSize)
        {
            try
            {
                var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
                var response = await _pipeline.ExecuteAsync(
                    async token =>
                    {
                        using var body = new MemoryStream(first, 0, firstLength, writable: false);
                        return (await blob.UploadAsync(
                            body,
                            new BlobUploadOptions { HttpHeaders = headers, Metadata = BuildMetadata(metadata, sha), Conditions = conditions },
                            token).ConfigureAwait(false)).Value;
                    },
                    cancellationToken).ConfigureAwait(false);
                return (new ArtifactInfo(blob.Name, firstLength, sha, headers.ContentType, response.LastModified, metadata?.ToDictionary() ?? []), sha);
            }
            catch (RequestFailedException exception) when (conditions is not null && exception.Status is 409 or 412)
            {
                return (null, Sha256Hex.Of(first.AsSpan(0, firstLength)));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(first);
            }
        }

        var uploadId = Guid.NewGuid();
        var blockIds = new List<string>();
        var inFlight = new List<Task>();
        using var slots = new SemaphoreSlim(_options.UploadConcurrency);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long length = 0;
        byte[]? buffer = first;
        var bufferLength = firstLength;
        try
        {
            while (bufferLength > 0)
            {
                var blockId = BlockId(uploadId, blockIds.Count);
                blockIds.Add(blockId);
                length += bufferLength;
                await slots.WaitAsync(failed.Token).ConfigureAwait(false);
                inFlight.Add(StageBlockAsync(blob, blockId, buffer!, bufferLength, slots, failed));
                buffer = null;

                buffer = ArrayPool<byte>.Shared.Rent(blockSize);
                bufferLength = await content.ReadAtLeastAsync(buffer.AsMemory(0, blockSize), blockSize, throwOnEndOfStream: false, failed.Token).ConfigureAwait(false);
                hash.AppendData(buffer, 0, bufferLength);
            }

            await Task.WhenAll(inFlight).ConfigureAwait(false);
        }
        catch
        {
            await failed.CancelAsync().ConfigureAwait(false);
            // Surface the block failure that stopped the upload rather than the cancellation it caused.
            await Task.WhenAll(inFlight.Select(task => task.ContinueWith(static _ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            var stageFailure = inFlight.FirstOrDefault(task => task.IsFaulted)?.Exception?.InnerException;
            if (stageFailure is not null && !cancellationToken.IsCancellationRequested)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(stageFailure);
            }

            throw;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        try
        {
            var committed = await _pipeline.ExecuteAsync(
                async token => (await blob.CommitBlockListAsync(
                    blockIds,
                    new CommitBlockListOptions { HttpHeaders = headers, Metadata = BuildMetadata(metadata, sha256), Conditions = conditions },
                    token).ConfigureAwait(false)).Value,
                cancellationToken).ConfigureAwait(false);
            return (new ArtifactInfo(blob.Name, length, sha256, headers.ContentType, committed.LastModified, metadata?.ToDictionary() ?? []), sha256);
        }
        catch (RequestFailedException exception) when (conditions is not null && exception.Status is 409 or 412)
        {
            return (null, sha256);
        }
    }

    private async Task StageBlockAsync(BlockBlobClient blob, string blockId, byte[] buffer, int length, SemaphoreSlim slots, CancellationTokenSource failed)
    {
        try
        {
            await _pipeline.ExecuteAsync(
                async token =>
                {
                    using var body = new MemoryStream(buffer, 0, length, writable: false);
                    await blob.StageBlockAsync(blockId, body, cancellationToken: token).ConfigureAwait(false);
                },
                failed.Token).ConfigureAwait(false);
        }
        catch
        {
            await failed.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            slots.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Artifact container {Container} is ready")]
    private partial void LogContainerReady(string container);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Uploaded artifact {Path}: {Length} bytes, SHA-256 {Sha256}")]
    private partial void LogUploaded(string path, long length, string sha256);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deleted artifact {Path}")]
    private partial void LogDeleted(string path);
}
