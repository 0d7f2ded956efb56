using Aspire.Hosting.ApplicationModel;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.AppHost.Resources;

/// <summary>
/// Azurite, the Azure Storage emulator, as an executable resource (<c>node azurite.js</c>; no container engine is
/// needed): its blob, queue and table services each on an endpoint DCP allocates, and the dev-account connection
/// string over them.
/// </summary>
public sealed class AzuriteResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    /// <summary>Name of the blob service endpoint.</summary>
    public const string BlobEndpointName = "blob";

    /// <summary>Name of the queue service endpoint (unused by the silos; Azurite always serves it).</summary>
    public const string QueueEndpointName = "queue";

    /// <summary>Name of the table service endpoint.</summary>
    public const string TableEndpointName = "table";

    /// <summary>The blob service.</summary>
    public EndpointReference BlobEndpoint => new(this, BlobEndpointName);

    /// <summary>The table service (Orleans membership and reminders).</summary>
    public EndpointReference TableEndpoint => new(this, TableEndpointName);

    /// <summary>The queue service.</summary>
    public EndpointReference QueueEndpoint => new(this, QueueEndpointName);

    /// <summary>
    /// The dev-account connection string. The endpoints name 127.0.0.1, not the endpoints' <c>localhost</c>: the Azure
    /// SDK reads the account from the path (Azurite's style) only when the host is an IP address; with a host name it
    /// takes the path's first segment for the container.
    /// </summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"DefaultEndpointsProtocol=http;AccountName={AzuriteServer.AccountName};AccountKey={AzuriteServer.AccountKey};"
        + $"BlobEndpoint=http://127.0.0.1:{BlobEndpoint.Property(EndpointProperty.Port)}/{AzuriteServer.AccountName};"
        + $"QueueEndpoint=http://127.0.0.1:{QueueEndpoint.Property(EndpointProperty.Port)}/{AzuriteServer.AccountName};"
        + $"TableEndpoint=http://127.0.0.1:{TableEndpoint.Property(EndpointProperty.Port)}/{AzuriteServer.AccountName};");
}
