using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace BeneficialRL.Storage.GrainState;

/// <summary>Structured log events of <see cref="BlobGrainStorage"/>.</summary>
public sealed partial class BlobGrainStorage
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Blob grain storage {Provider}: container {Container} is ready")]
    private partial void LogContainerReady(string provider, string container);

    [LoggerMessage(Level = LogLevel.Trace, Message = "Blob grain storage {Provider}: no state {StateName} for {GrainId} (blob {BlobName})")]
    private partial void LogStateMissing(string provider, GrainId grainId, string stateName, string blobName);

    [LoggerMessage(Level = LogLevel.Trace, Message = "Blob grain storage {Provider}: read state {StateName} of {GrainId}, ETag {ETag}")]
    private partial void LogStateRead(string provider, GrainId grainId, string stateName, string? eTag);

    [LoggerMessage(Level = LogLevel.Trace, Message = "Blob grain storage {Provider}: wrote state {StateName} of {GrainId}, ETag {ETag}")]
    private partial void LogStateWritten(string provider, GrainId grainId, string stateName, string? eTag);

    [LoggerMessage(Level = LogLevel.Trace, Message = "Blob grain storage {Provider}: cleared state {StateName} of {GrainId}")]
    private partial void LogStateCleared(string provider, GrainId grainId, string stateName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blob grain storage {Provider}: {Operation} of state {StateName} of {GrainId} rejected, ETag {ETag} is stale (status {Status})")]
    private partial void LogConflict(string provider, string operation, GrainId grainId, string stateName, string? eTag, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Blob grain storage {Provider}: reading state {StateName} of {GrainId} from blob {BlobName} failed")]
    private partial void LogReadFailed(Exception exception, string provider, GrainId grainId, string stateName, string blobName);

    [LoggerMessage(Level = LogLevel.Error, Message = "Blob grain storage {Provider}: writing state {StateName} of {GrainId} to blob {BlobName} failed")]
    private partial void LogWriteFailed(Exception exception, string provider, GrainId grainId, string stateName, string blobName);

    [LoggerMessage(Level = LogLevel.Error, Message = "Blob grain storage {Provider}: clearing state {StateName} of {GrainId} (blob {BlobName}) failed")]
    private partial void LogClearFailed(Exception exception, string provider, GrainId grainId, string stateName, string blobName);
}
