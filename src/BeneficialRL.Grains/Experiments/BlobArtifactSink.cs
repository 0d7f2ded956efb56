using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Storage.Artifacts;

namespace BeneficialRL.Grains.Experiments;

/// <summary>
/// The experiment engine's artifacts in blob storage under one tenant's folder
/// (<c>tenants/{tenant}/experiments/…</c>, <c>…/checkpoints/…</c>, <c>…/reports/…</c>).
/// </summary>
public sealed class BlobArtifactSink(IArtifactStore store, string tenant) : IArtifactSink
{
    /// <summary>The blob folder every name is relative to.</summary>
    public string Prefix { get; } = $"tenants/{tenant}/";

    /// <summary>The blob path of an artifact name.</summary>
    public string PathOf(string name) => Prefix + name;

    /// <inheritdoc />
    public Task WriteAsync(string name, Stream content, string contentType, CancellationToken cancellationToken) =>
        // Stage records are rewritten as a run goes on (metrics grow at every checkpoint): overwrite is intended.
        store.PutAsync(PathOf(name), content, contentType, overwrite: true, cancellationToken: cancellationToken);

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
