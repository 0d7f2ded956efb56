namespace BeneficialRL.Experiments.Artifacts;

/// <summary>
/// Named artifacts an experiment writes and reads (checkpoints, metrics, evaluation results, reports).
/// Names are '/'-separated relative paths such as <c>experiments/demo/runs/treatment-s1/metrics.jsonl</c>.
/// The host implements it over blob storage; <see cref="FileSystemArtifactSink"/> serves tests and the bench.
/// </summary>
public interface IArtifactSink
{
    /// <summary>Writes (or replaces) <paramref name="name"/> with the bytes of <paramref name="content"/> from its current position.</summary>
    Task WriteAsync(string name, Stream content, string contentType, CancellationToken cancellationToken);

    /// <summary>Opens <paramref name="name"/> for reading, or returns null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="name"/> exists.</summary>
    Task<bool> ExistsAsync(string name, CancellationToken cancellationToken);
}
