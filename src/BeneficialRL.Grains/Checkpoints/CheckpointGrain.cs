using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Checkpoints;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Grains.Catalog;

namespace BeneficialRL.Grains.Checkpoints;

/// <summary>A checkpoint's metadata and lineage; its weights are an immutable blob.</summary>
public sealed class CheckpointGrain(
    [PersistentState("checkpoint", GrainStorageNames.Default)] IPersistentState<CheckpointState> state,
    TimeProvider time) : Grain, ICheckpointGrain
{
    /// <inheritdoc />
    public async Task<CheckpointInfo> RegisterAsync(CheckpointRegistration registration)
    {
        if (state.State.Info is { } existing)
        {
            return existing.Details.Sha256 == registration.Sha256
                ? existing
                : throw new ResourceAlreadyExistsException($"Checkpoint '{existing.Id}' already exists with other weights.");
        }

        var (tenant, id) = this.TenantAndId();
        if (registration.ParentId == id) throw new ArgumentException("A checkpoint cannot be its own parent.", nameof(registration));
        var now = time.GetUtcNow();
        await GrainFactory.IndexAsync(tenant, ResourceKinds.Checkpoints, id, now);
        state.State.Info = new CheckpointInfo { Id = id, Tenant = tenant, Details = registration, CreatedAt = now };
        await state.WriteStateAsync();
        return state.State.Info;
    }

    /// <inheritdoc />
    public Task<CheckpointInfo?> GetAsync() => Task.FromResult(state.State.Info);
}

/// <summary>Persisted state of <see cref="CheckpointGrain"/>.</summary>
[GenerateSerializer]
public sealed class CheckpointState
{
    /// <summary>The checkpoint, once registered.</summary>
    [Id(0)] public CheckpointInfo? Info { get; set; }
}
