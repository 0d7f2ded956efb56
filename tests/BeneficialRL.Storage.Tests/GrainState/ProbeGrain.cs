using BeneficialRL.Storage.Tests.Infrastructure;
using Orleans;
using Orleans.Runtime;

namespace BeneficialRL.Storage.Tests.GrainState;

/// <summary>A grain whose state lives in the blob grain storage, to check the provider end to end in a silo.</summary>
public interface IProbeGrain : IGrainWithStringKey
{
    /// <summary>Adds one to the counter, remembers <paramref name="note"/>, persists, returns the new count.</summary>
    Task<int> RecordAsync(string note);

    /// <summary>The persisted state as this activation sees it.</summary>
    Task<ProbeState> GetAsync();

    /// <summary>Deactivates after this call, so the next call reloads the state from storage.</summary>
    Task DeactivateAsync();
}

/// <summary>Implementation of <see cref="IProbeGrain"/>.</summary>
public sealed class ProbeGrain([PersistentState("probe", StorageFixture.GrainStorageName)] IPersistentState<ProbeState> state) : Grain, IProbeGrain
{
    /// <inheritdoc />
    public async Task<int> RecordAsync(string note)
    {
        state.State.Count++;
        state.State.Note = note;
        state.State.History.Add(note);
        await state.WriteStateAsync();
        return state.State.Count;
    }

    /// <inheritdoc />
    public Task<ProbeState> GetAsync() => Task.FromResult(state.State);

    /// <inheritdoc />
    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
