using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Orleans;

namespace BeneficialRL.AppHost.Resources;

/// <summary>
/// Orleans clustering and reminders on the storage account's tables. The silo host wires the official Azure Table
/// providers itself, from <c>ConnectionStrings__blobs</c> (that account's table endpoint), so this provider only hands
/// the silo that connection string; it sets no <c>Orleans__…__ProviderType</c>, which would make Orleans register a
/// second, keyed-client provider next to the host's own.
/// </summary>
public sealed class StorageAccountProvider(IResourceBuilder<AzuriteResource> storage) : IProviderConfiguration
{
    /// <summary>The connection name the silo host reads (<c>ConnectionStrings__blobs</c>).</summary>
    public const string ConnectionName = "blobs";

    /// <inheritdoc />
    public void ConfigureResource<T>(IResourceBuilder<T> resourceBuilder, string configSectionPath)
        where T : IResourceWithEnvironment =>
        resourceBuilder.WithReference(storage, ConnectionName);
}
