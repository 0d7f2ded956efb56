using Azure.Core;
using Azure.Storage.Blobs;

namespace BeneficialRL.Storage.Blobs;

/// <summary>Creates <see cref="BlobServiceClient"/>s configured for this codebase's single retry layer.</summary>
public static class BlobStorageClients
{
    /// <summary>
    /// A client for <paramref name="connectionString"/> (Azurite, or an account with shared keys) with the SDK's retries off
    /// (<c>Retry.MaxRetries = 0</c>): every retry lives in the <c>blob-storage</c> Polly pipeline instead.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string is empty or malformed.</exception>
    public static BlobServiceClient Create(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            return new BlobServiceClient(connectionString, WithoutRetries());
        }
        catch (FormatException exception)
        {
            throw new ArgumentException($"The blob storage connection string is malformed: {exception.Message}", nameof(connectionString), exception);
        }
    }

    /// <summary>
    /// A client for the blob service at <paramref name="serviceUri"/> (<c>https://{account}.blob.core.windows.net/</c>)
    /// that signs in with <paramref name="credential"/> (Entra ID, so the account may refuse shared keys), SDK retries off.
    /// </summary>
    /// <exception cref="ArgumentException">The URI is not an absolute https URI (bearer tokens are never sent over http).</exception>
    public static BlobServiceClient Create(Uri serviceUri, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(serviceUri);
        ArgumentNullException.ThrowIfNull(credential);
        if (!serviceUri.IsAbsoluteUri || serviceUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"The blob service URI '{serviceUri}' is not an absolute https URI.", nameof(serviceUri));
        }

        return new BlobServiceClient(serviceUri, credential, WithoutRetries());
    }

    private static BlobClientOptions WithoutRetries()
    {
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 0;
        return options;
    }
}
