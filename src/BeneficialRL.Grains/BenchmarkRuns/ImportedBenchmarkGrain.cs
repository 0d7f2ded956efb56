using BeneficialRL.Contracts.BenchmarkRuns;
using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Grains.Catalog;

namespace BeneficialRL.Grains.BenchmarkRuns;

/// <summary>Records where a tenant's imported benchmark is stored.</summary>
public sealed class ImportedBenchmarkGrain(
    [PersistentState("benchmark", GrainStorageNames.Default)] IPersistentState<ImportedBenchmarkState> state) : Grain, IImportedBenchmarkGrain
{
    /// <inheritdoc />
    public async Task<ImportedBenchmarkInfo> RegisterAsync(ImportedBenchmarkInfo info)
    {
        if (state.State.Info is { } existing)
        {
            return existing.ContentHash == info.ContentHash
                ? existing
                : throw new ResourceAlreadyExistsException($"Benchmark '{existing.Id}' was already imported with other content; import it under a new id.");
        }

        var (tenant, id) = this.TenantAndId();
        await GrainFactory.IndexAsync(tenant, ResourceKinds.Benchmarks, id, info.CreatedAt);
        state.State.Info = info;
        await state.WriteStateAsync();
        return info;
    }

    /// <inheritdoc />
    public Task<ImportedBenchmarkInfo?> GetAsync() => Task.FromResult(state.State.Info);
}

/// <summary>Persisted state of <see cref="ImportedBenchmarkGrain"/>.</summary>
[GenerateSerializer]
public sealed class ImportedBenchmarkState
{
    /// <summary>The import, once registered.</summary>
    [Id(0)] public ImportedBenchmarkInfo? Info { get; set; }
}
