using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.ScenarioSets;
using BeneficialRL.Grains.Catalog;

namespace BeneficialRL.Grains.ScenarioSets;

/// <summary>A versioned scenario dataset; versions are immutable blobs recorded by hash.</summary>
public sealed class ScenarioSetGrain(
    [PersistentState("set", GrainStorageNames.Default)] IPersistentState<ScenarioSetState> state,
    TimeProvider time) : Grain, IScenarioSetGrain
{
    /// <inheritdoc />
    public async Task<ScenarioSetInfo> CreateAsync(string name, string? description)
    {
        if (state.State.Info is not null) throw new ResourceAlreadyExistsException($"Scenario set '{state.State.Info.Id}' already exists.");
        var (tenant, id) = this.TenantAndId();
        var now = time.GetUtcNow();
        await GrainFactory.IndexAsync(tenant, ResourceKinds.ScenarioSets, id, now);
        state.State.Info = new ScenarioSetInfo
        {
            Id = id,
            Tenant = tenant,
            Name = name,
            Description = description,
            CreatedAt = now,
            UpdatedAt = now,
            Revision = 1,
            Versions = [],
        };
        await state.WriteStateAsync();
        return state.State.Info;
    }

    /// <inheritdoc />
    public Task<ScenarioSetInfo?> GetAsync() => Task.FromResult(state.State.Info);

    /// <inheritdoc />
    public async Task<ScenarioSetInfo> UpdateAsync(string? name, string? description, long? expectedRevision)
    {
        var info = Existing();
        if (expectedRevision is { } expected && expected != info.Revision) throw new RevisionMismatchException(expected, info.Revision);
        state.State.Info = info with
        {
            Name = name ?? info.Name,
            Description = description ?? info.Description,
            UpdatedAt = time.GetUtcNow(),
            Revision = info.Revision + 1,
        };
        await state.WriteStateAsync();
        return state.State.Info;
    }

    /// <inheritdoc />
    public async Task<ScenarioSetVersion> AddVersionAsync(NewScenarioSetVersion version)
    {
        var info = Existing();
        var existing = info.Versions.FirstOrDefault(v => v.Sha256 == version.Sha256);
        if (existing is not null) return existing;

        var now = time.GetUtcNow();
        var added = new ScenarioSetVersion
        {
            Number = info.Versions.Count + 1,
            Sha256 = version.Sha256,
            BlobPath = version.BlobPath,
            ItemCount = version.ItemCount,
            Bytes = version.Bytes,
            CreatedAt = now,
            GradedCount = version.GradedCount,
        };
        state.State.Info = info with { Versions = [.. info.Versions, added], UpdatedAt = now, Revision = info.Revision + 1 };
        await state.WriteStateAsync();
        return added;
    }

    private ScenarioSetInfo Existing() => state.State.Info ?? throw new ResourceNotFoundException($"Scenario set '{this.TenantAndId().Id}' does not exist.");
}

/// <summary>Persisted state of <see cref="ScenarioSetGrain"/>.</summary>
[GenerateSerializer]
public sealed class ScenarioSetState
{
    /// <summary>The set, once created.</summary>
    [Id(0)] public ScenarioSetInfo? Info { get; set; }
}
