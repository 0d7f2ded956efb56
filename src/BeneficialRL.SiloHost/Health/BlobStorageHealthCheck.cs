using Azure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BeneficialRL.SiloHost.Health;

/// <summary>Ready only when blob storage answers: every resource and artifact lives there.</summary>
public sealed class BlobStorageHealthCheck(BlobServiceClient blobs) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (var _ in blobs.GetBlobContainersAsync(cancellationToken: cancellationToken).AsPages(pageSizeHint: 1).WithCancellation(cancellationToken))
            {
                break;
            }

            return HealthCheckResult.Healthy($"Blob storage at {blobs.Uri} answers.");
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or TaskCanceledException or AggregateException)
        {
            return HealthCheckResult.Unhealthy($"Blob storage at {blobs.Uri} does not answer: {e.Message}", e);
        }
    }
}
