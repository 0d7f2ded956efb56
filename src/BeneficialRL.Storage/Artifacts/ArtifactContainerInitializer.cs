using Microsoft.Extensions.Hosting;

namespace BeneficialRL.Storage.Artifacts;

/// <summary>Creates the artifact container when the host starts, so a wrong connection string fails the start, not the first upload.</summary>
internal sealed class ArtifactContainerInitializer(BlobArtifactStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
