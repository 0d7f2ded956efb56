using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Storage.Artifacts;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Grains.Experiments;

/// <summary>
/// The experiment engine's artifacts in blob storage under one tenant's folder
/// (<see cref="TenantBlobLayout.InTenant"/>). Each write is immutable or replaces as the layout says
/// (<see cref="TenantBlobLayout.WriteModeOf"/>): checkpoints keep <c>If-None-Match: *</c>, so a resumed job that
/// writes the same checkpoint again succeeds and one that would change it fails, while metrics grow in place.
/// </summary>
public sealed class BlobArtifactSink(IArtifactStore store, string tenant) : IArtifactSink
{
    /// <summary>The blob path of an artifact name.</summary>
    public string PathOf(string name) => TenantBlobLayout.InTenant(tenant, name);

    /// <inheritdoc />
    public Task WriteAsync(string name, Stream content, string contentType, CancellationToken cancellationToken) =>
        store.PutAsync(PathOf(name), content, contentType, TenantBlobLayout.WriteModeOf(name), cancellationToken: cancellationToken);

    /// <inheritdoc />
    public async Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await store.OpenReadAsync(PathOf(name), cancellationToken);
        }
        catch (ArtifactNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) =>
        await store.GetInfoAsync(PathOf(name), cancellationToken) is not null;
}
