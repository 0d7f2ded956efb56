using Azure.Storage.Blobs;

namespace BeneficialRL.Storage.Blobs;

/// <summary>Creates <see cref="BlobServiceClient"/>s configured for this codebase's single retry layer.</summary>
public static class BlobStorageClients
{
    /// <summary>
    /// A client for <paramref name="connectionString"/> with the SDK's retries off
    /// (<c>Retry.MaxRetries = 0</c>): every retry lives in the <c>blob-storage</c> Polly pipeline instead.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string is empty or malformed.</exception>
    public static BlobServiceClient Create(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 0;
        try
        {
            return new BlobServiceClient(connectionString, options);
        }
        catch (FormatException exception)
        {
            throw new ArgumentException($"The blob storage connection string is malformed: {exception.Message}", nameof(connectionString), exception);
        }
    }
}
