using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using BeneficialRL.Storage.Blobs;

namespace BeneficialRL.SiloHost.Hosting;

/// <summary>
/// How the silo host reaches blob storage: by connection string (<c>ConnectionStrings:blobs</c>: Azurite locally, or an
/// account with shared keys), or else by the account's blob service URI (<c>Storage:BlobServiceUri</c>) with Entra ID
/// through <see cref="DefaultAzureCredential"/> (in Azure, the managed identity whose client id is <c>AZURE_CLIENT_ID</c>).
/// </summary>
public static class BlobStorageConnection
{
    /// <summary>Configuration key of the blob service URI used when no connection string is set.</summary>
    public const string ServiceUriKey = "Storage:BlobServiceUri";

    /// <summary>
    /// The blob client the configuration names; the connection string wins when both are set.
    /// <paramref name="credential"/> replaces <see cref="DefaultAzureCredential"/> (tests).
    /// </summary>
    /// <exception cref="InvalidOperationException">Neither is set, or the service URI is not an absolute https URI.</exception>
    public static BlobServiceClient CreateClient(IConfiguration configuration, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration.GetConnectionString("blobs");
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return BlobStorageClients.Create(connectionString);
        }

        var serviceUri = configuration[ServiceUriKey];
        if (string.IsNullOrWhiteSpace(serviceUri))
        {
            throw new InvalidOperationException(
                $"Neither ConnectionStrings:blobs nor {ServiceUriKey} is set: give the Azure Storage connection string (locally, Azurite's; the AppHost sets it) or the account's blob service URI (reached with Entra ID).");
        }

        if (!Uri.TryCreate(serviceUri, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException($"{ServiceUriKey} '{serviceUri}' is not an absolute https URI.");
        }

        return BlobStorageClients.Create(uri, credential ?? new DefaultAzureCredential());
    }
}
