using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Polly;

namespace BeneficialRL.Storage.GrainState;

/// <summary>
/// Moves grain state the silos stored under the old provider's names (<see cref="LegacyGrainStateBlobNames"/>) to the
/// names of the official provider in the service's container (<see cref="GrainStateContainerNames"/>), once, at silo
/// start, before any grain activates: no experiment stored before is lost.
/// </summary>
/// <remarks>
/// The bytes are copied unchanged (<see cref="GrainStateSerializer"/> reads the old JSON and the binary format alike).
/// Safe with several silos starting at once and across restarts: the copy is create-only (<c>If-None-Match: *</c>), so
/// state written under the new name is never overwritten, and the old blob is deleted only if unchanged since it was
/// read (<c>If-Match</c>), so a deleted or cleared state never comes back on the next start.
/// </remarks>
public sealed partial class LegacyGrainStateMigration(ResiliencePipeline pipeline, ILogger<LegacyGrainStateMigration> logger)
{
    /// <summary>
    /// Moves every legacy blob of <paramref name="serviceId"/> from <paramref name="legacyContainer"/> (where the old
    /// provider kept every service's state) to <paramref name="container"/>; returns how many moved.
    /// </summary>
    public async Task<int> MigrateAsync(BlobContainerClient legacyContainer, BlobContainerClient container, string serviceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(legacyContainer);
        ArgumentNullException.ThrowIfNull(container);
        var legacy = new List<string>();
        try
        {
            await pipeline.ExecuteAsync(async token =>
            {
                legacy.Clear();
                await foreach (var item in legacyContainer.GetBlobsAsync(new GetBlobsOptions { Prefix = LegacyGrainStateBlobNames.PrefixOf(serviceId) }, token).ConfigureAwait(false))
                {
                    legacy.Add(item.Name);
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return 0; // no container from the old provider: nothing was stored before
        }

        var moved = 0;
        foreach (var name in legacy)
        {
            if (!LegacyGrainStateBlobNames.TryParse(name, serviceId, out var grainId, out var stateName))
            {
                LogNotMovable(legacyContainer.Name, name);
                continue;
            }

            if (await MoveAsync(legacyContainer.GetBlobClient(name), container, LegacyGrainStateBlobNames.CurrentName(grainId, stateName), cancellationToken).ConfigureAwait(false)) moved++;
        }

        if (legacy.Count > 0) LogMigrated(legacyContainer.Name, container.Name, moved, legacy.Count);
        return moved;
    }

    private async Task<bool> MoveAsync(BlobClient source, BlobContainerClient container, string currentName, CancellationToken cancellationToken)
    {
        BlobDownloadResult content;
        try
        {
            content = await pipeline.ExecuteAsync(async token => (await source.DownloadContentAsync(token).ConfigureAwait(false)).Value, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return false; // another silo moved it since the listing
        }

        var copied = true;
        try
        {
            await pipeline.ExecuteAsync(async token => await container.GetBlobClient(currentName).UploadAsync(
                content.Content,
                new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = content.Details.ContentType },
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                },
                token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (exception.Status is 409 or 412)
        {
            copied = false; // already there: written by the new provider (or moved by another silo), which wins
        }

        try
        {
            await pipeline.ExecuteAsync(async token => await source.DeleteIfExistsAsync(
                DeleteSnapshotsOption.IncludeSnapshots, new BlobRequestConditions { IfMatch = content.Details.ETag }, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (exception.Status == 412)
        {
            LogChangedWhileMoving(source.BlobContainerName, source.Name);
        }

        return copied;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Grain state: moved {Moved} of {Found} blobs from the old provider's names in container {From} to the official provider's in {To}")]
    private partial void LogMigrated(string from, string to, int moved, int found);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain state in container {Container}: blob {Blob} has an old provider's name whose grain key cannot be recovered (hashed); it is left in place")]
    private partial void LogNotMovable(string container, string blob);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain state in container {Container}: blob {Blob} changed while it was moved; it is left in place")]
    private partial void LogChangedWhileMoving(string container, string blob);
}
