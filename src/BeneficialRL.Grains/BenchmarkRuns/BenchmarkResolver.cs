using System.Text.Json;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Contracts.BenchmarkRuns;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Storage.Artifacts;

namespace BeneficialRL.Grains.BenchmarkRuns;

/// <summary>Finds a benchmark by id for a tenant: a built-in one, or one the tenant imported.</summary>
public sealed class BenchmarkResolver(BenchmarkCatalogueProvider builtIn, IGrainFactory grains, IArtifactStore artifacts)
{
    /// <summary>How imported benchmarks are stored: the same canonical JSON as their content hash.</summary>
    public static JsonSerializerOptions StorageOptions => BenchmarkContentHash.CanonicalOptions;

    /// <summary>The built-in catalogue.</summary>
    public BenchmarkCatalogue BuiltIn => builtIn.Catalogue;

    /// <summary>The benchmark, or null when neither the catalogue nor the tenant has it.</summary>
    public async Task<Benchmark?> FindAsync(string tenant, string id, CancellationToken cancellationToken)
    {
        if (builtIn.TryGet(id, out var benchmark)) return benchmark;
        if (!ResourceKey.IsValidId(id) || await grains.GetGrain<IImportedBenchmarkGrain>(ResourceKey.For(tenant, id)).GetAsync() is not { } imported) return null;
        await using var stream = await artifacts.OpenReadAsync(imported.BlobPath, cancellationToken);
        return await JsonSerializer.DeserializeAsync<Benchmark>(stream, StorageOptions, cancellationToken)
            ?? throw new InvalidDataException($"The stored benchmark '{id}' is empty.");
    }

    /// <summary>True when the id names a benchmark the tenant can run.</summary>
    public async Task<bool> ExistsAsync(string tenant, string id) =>
        builtIn.TryGet(id, out _) || (ResourceKey.IsValidId(id) && await grains.GetGrain<IImportedBenchmarkGrain>(ResourceKey.For(tenant, id)).GetAsync() is not null);
}
