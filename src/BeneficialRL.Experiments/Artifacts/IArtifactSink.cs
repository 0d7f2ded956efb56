using BeneficialRL.Primitives.Layout;
namespace BeneficialRL.Experiments.Artifacts;

/// <summary>
/// Named artifacts an experiment writes and reads (checkpoints, metrics, evaluation results, reports).
/// Names are '/'-separated paths relative to a tenant's folder, made by <c>TenantBlobLayout</c>, such as
/// <c>experiments/demo/runs/treatment-s1/metrics.jsonl</c>; the layout also says whether a name is written once or
/// replaced (<c>TenantBlobLayout.WriteModeOf</c>), and every sink honours that.
/// The host implements it over blob storage; <see cref="FileSystemArtifactSink"/> serves tests and the perf harness.
/// </summary>
public interface IArtifactSink
{
    /// <summary>
    /// Writes <paramref name="name"/> with the bytes of <paramref name="content"/> from its current position. An
    /// immutable name that already holds the same bytes is left as it is (a resumed job writing again); one that holds
    /// different bytes throws <c>ArtifactConflictException</c> and keeps them. Other names are replaced.
    /// </summary>
    Task WriteAsync(string name, Stream content, string contentType, CancellationToken cancellationToken);

    /// <summary>Opens <paramref name="name"/> for reading, or returns null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="name"/> exists.</summary>
    Task<bool> ExistsAsync(string name, CancellationToken cancellationToken);
}
