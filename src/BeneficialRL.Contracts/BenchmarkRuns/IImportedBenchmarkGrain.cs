namespace BeneficialRL.Contracts.BenchmarkRuns;

/// <summary>
/// A benchmark a tenant imported from its own file (key <c>{tenant}/{benchmarkId}</c>): the definition and
/// items are an immutable blob; the grain records where, and under which content hash.
/// </summary>
public interface IImportedBenchmarkGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records the import. The same content again is a no-op (idempotent retry); other content under the
    /// same id fails with <see cref="Resources.ResourceAlreadyExistsException"/>: import it under a new id.
    /// </summary>
    Task<ImportedBenchmarkInfo> RegisterAsync(ImportedBenchmarkInfo info);

    /// <summary>The import, or null when there is none.</summary>
    Task<ImportedBenchmarkInfo?> GetAsync();
}

/// <summary>Where an imported benchmark is stored.</summary>
[GenerateSerializer, Immutable]
public sealed record ImportedBenchmarkInfo
{
    /// <summary>Benchmark id, unique within the tenant and distinct from built-in ids.</summary>
    [Id(0)] public required string Id { get; init; }
    /// <summary>The blob holding the definition and items (JSON).</summary>
    [Id(1)] public required string BlobPath { get; init; }
    /// <summary>SHA-256 of the items' canonical JSONL.</summary>
    [Id(2)] public required string ContentHash { get; init; }
    /// <summary>Number of items.</summary>
    [Id(3)] public required int ItemCount { get; init; }
    /// <summary>When it was imported.</summary>
    [Id(4)] public required DateTimeOffset CreatedAt { get; init; }
}
