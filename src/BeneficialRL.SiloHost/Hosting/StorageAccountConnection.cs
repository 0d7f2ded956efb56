using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using BeneficialRL.Storage.Blobs;

namespace BeneficialRL.SiloHost.Hosting;

/// <summary>
/// How the silo host reaches its storage account: blobs (grain state, artifacts) and tables (Orleans cluster membership
/// and reminders). By connection string (<c>ConnectionStrings:blobs</c>, and <c>ConnectionStrings:tables</c> if the
/// tables live elsewhere: Azurite locally, or an account with shared keys), or else by the account's service URIs
/// (<c>Storage:BlobServiceUri</c>, <c>Storage:TableServiceUri</c>, the latter derived from the former when absent) with
/// Entra ID through <see cref="DefaultAzureCredential"/> (in Azure, the managed identity whose client id is
/// <c>AZURE_CLIENT_ID</c>). Read before the host is built, because the silo's providers are built with these clients.
/// </summary>
public static class StorageAccountConnection
{
    /// <summary>Configuration key of the blob service URI used when no connection string is set.</summary>
    public const string BlobServiceUriKey = "Storage:BlobServiceUri";

    /// <summary>Configuration key of the table service URI used when no connection string is set.</summary>
    public const string TableServiceUriKey = "Storage:TableServiceUri";

    /// <summary>
    /// The blob client the configuration names; the connection string wins when both are set.
    /// <paramref name="credential"/> replaces <see cref="DefaultAzureCredential"/> (tests).
    /// </summary>
    /// <exception cref="InvalidOperationException">Neither is set, or the service URI is not an absolute https URI.</exception>
    public static BlobServiceClient CreateBlobClient(IConfiguration configuration, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.GetConnectionString("blobs") is { Length: > 0 } connectionString) return BlobStorageClients.Create(connectionString);
        return BlobStorageClients.Create(ServiceUri(configuration, BlobServiceUriKey, derivedFrom: null), credential ?? new DefaultAzureCredential());
    }

    /// <summary>
    /// The table client the configuration names: <c>ConnectionStrings:tables</c>, else <c>ConnectionStrings:blobs</c> (an
    /// account connection string names every service), else the table service URI with <paramref name="credential"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Nothing is set, or a service URI is not an absolute https URI.</exception>
    public static TableServiceClient CreateTableClient(IConfiguration configuration, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.GetConnectionString("tables") is { Length: > 0 } tables) return new TableServiceClient(tables);
        if (configuration.GetConnectionString("blobs") is { Length: > 0 } account) return new TableServiceClient(account);
        return new TableServiceClient(ServiceUri(configuration, TableServiceUriKey, derivedFrom: BlobServiceUriKey), credential ?? new DefaultAzureCredential());
    }

    private static Uri ServiceUri(IConfiguration configuration, string key, string? derivedFrom)
    {
        var serviceUri = configuration[key];
        if (string.IsNullOrWhiteSpace(serviceUri) && derivedFrom is not null && configuration[derivedFrom] is { Length: > 0 } blobUri)
        {
            // https://<account>.blob.core.windows.net/ -> https://<account>.table.core.windows.net/
            serviceUri = blobUri.Replace(".blob.", ".table.", StringComparison.OrdinalIgnoreCase);
        }

        if (string.IsNullOrWhiteSpace(serviceUri))
        {
            throw new InvalidOperationException(
                $"Neither ConnectionStrings:blobs nor {key} is set: give the Azure Storage connection string (locally, Azurite's; the AppHost sets it) or the account's service URI (reached with Entra ID).");
        }

        if (!Uri.TryCreate(serviceUri, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException($"{key} '{serviceUri}' is not an absolute https URI.");
        }

        return uri;
    }
}
