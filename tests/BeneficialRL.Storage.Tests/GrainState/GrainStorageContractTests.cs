using Orleans.Configuration;
using BeneficialRL.Storage.GrainState;
using BeneficialRL.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace BeneficialRL.Storage.Tests.GrainState;

/// <summary>
/// The IGrainStorage contract the grains rely on, of the official provider as the silos run it
/// (<see cref="ResilientGrainStorage"/>), against a real Azurite.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class GrainStorageContractTests(StorageFixture fixture) : IAsyncLifetime
{
    private const string StateName = "probe";
    private ResilientGrainStorage _storage = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => _storage = await fixture.CreateGrainStorageAsync(StorageFixture.UniqueContainerName("grains"));

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task ReadStateAsync_NeverWritten_ReturnsDefaultStateWithoutETag()
    {
        var state = new GrainState<ProbeState> { State = new ProbeState { Count = 99 }, ETag = "stale", RecordExists = true };

        await _storage.ReadStateAsync(StateName, NewGrainId(), state);

        Assert.Equal(0, state.State.Count);
        Assert.Empty(state.State.History);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
    }

    [Fact]
    public async Task WriteStateAsync_NewState_CreatesItAndSetsETag()
    {
        var grainId = NewGrainId();
        var state = new GrainState<ProbeState> { State = new ProbeState { Count = 1, Note = "created", History = ["a"] } };

        await _storage.WriteStateAsync(StateName, grainId, state);

        Assert.NotNull(state.ETag);
        Assert.True(state.RecordExists);
    }

    [Fact]
    public async Task ReadStateAsync_AfterWrite_ReturnsWrittenStateAndSameETag()
    {
        var grainId = NewGrainId();
        var written = new GrainState<ProbeState> { State = new ProbeState { Count = 7, Note = "seven", History = ["x", "y"] } };
        await _storage.WriteStateAsync(StateName, grainId, written);

        var read = new GrainState<ProbeState> { State = new ProbeState() };
        await _storage.ReadStateAsync(StateName, grainId, read);

        Assert.Equal(7, read.State.Count);
        Assert.Equal("seven", read.State.Note);
        Assert.Equal(["x", "y"], read.State.History);
        Assert.Equal(written.ETag, read.ETag);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task WriteStateAsync_WithCurrentETag_UpdatesAndChangesETag()
    {
        var grainId = NewGrainId();
        var state = new GrainState<ProbeState> { State = new ProbeState { Count = 1 } };
        await _storage.WriteStateAsync(StateName, grainId, state);
        var firstETag = state.ETag;

        state.State.Count = 2;
        await _storage.WriteStateAsync(StateName, grainId, state);

        Assert.NotEqual(firstETag, state.ETag);
        var read = new GrainState<ProbeState> { State = new ProbeState() };
        await _storage.ReadStateAsync(StateName, grainId, read);
        Assert.Equal(2, read.State.Count);
        Assert.Equal(state.ETag, read.ETag);
    }

    [Fact]
    public async Task WriteStateAsync_StaleETag_ThrowsInconsistentStateException()
    {
        var grainId = NewGrainId();
        await _storage.WriteStateAsync(StateName, grainId, new GrainState<ProbeState> { State = new ProbeState { Count = 1 } });
        var first = new GrainState<ProbeState> { State = new ProbeState() };
        var second = new GrainState<ProbeState> { State = new ProbeState() };
        await _storage.ReadStateAsync(StateName, grainId, first);
        await _storage.ReadStateAsync(StateName, grainId, second);
        Assert.Equal(first.ETag, second.ETag);

        first.State.Count = 10;
        await _storage.WriteStateAsync(StateName, grainId, first);
        second.State.Count = 20;

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, grainId, second));
        var read = new GrainState<ProbeState> { State = new ProbeState() };
        await _storage.ReadStateAsync(StateName, grainId, read);
        Assert.Equal(10, read.State.Count);
    }

    [Fact]
    public async Task WriteStateAsync_StaleWriteFromSecondStorageInstance_ThrowsInconsistentStateException()
    {
        // Two providers over one container stand for two silos holding the same grain.
        var container = StorageFixture.UniqueContainerName("twosilos");
        var siloA = await fixture.CreateGrainStorageAsync(container);
        var siloB = await fixture.CreateGrainStorageAsync(container);
        var grainId = NewGrainId();
        var a = new GrainState<ProbeState> { State = new ProbeState { Count = 1 } };
        await siloA.WriteStateAsync(StateName, grainId, a);
        var b = new GrainState<ProbeState> { State = new ProbeState() };
        await siloB.ReadStateAsync(StateName, grainId, b);

        b.State.Count = 2;
        await siloB.WriteStateAsync(StateName, grainId, b);
        a.State.Count = 3;

        await Assert.ThrowsAsync<InconsistentStateException>(() => siloA.WriteStateAsync(StateName, grainId, a));
    }

    [Fact]
    public async Task WriteStateAsync_CreateWhenAlreadyExists_ThrowsInconsistentStateException()
    {
        var grainId = NewGrainId();
        await _storage.WriteStateAsync(StateName, grainId, new GrainState<ProbeState> { State = new ProbeState { Count = 1 } });
        var unaware = new GrainState<ProbeState> { State = new ProbeState { Count = 5 } };

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, grainId, unaware));
    }

    [Fact]
    public async Task ClearStateAsync_ThenRead_ReturnsMissingState()
    {
        var grainId = NewGrainId();
        var state = new GrainState<ProbeState> { State = new ProbeState { Count = 4 } };
        await _storage.WriteStateAsync(StateName, grainId, state);

        await _storage.ClearStateAsync(StateName, grainId, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        var read = new GrainState<ProbeState> { State = new ProbeState() };
        await _storage.ReadStateAsync(StateName, grainId, read);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal(0, read.State.Count);
    }

    [Fact]
    public async Task WriteStateAsync_AfterClear_CreatesStateAgain()
    {
        var grainId = NewGrainId();
        var state = new GrainState<ProbeState> { State = new ProbeState { Count = 1 } };
        await _storage.WriteStateAsync(StateName, grainId, state);
        await _storage.ClearStateAsync(StateName, grainId, state);

        state.State.Count = 2;
        await _storage.WriteStateAsync(StateName, grainId, state);

        var read = new GrainState<ProbeState> { State = new ProbeState() };
        await _storage.ReadStateAsync(StateName, grainId, read);
        Assert.Equal(2, read.State.Count);
    }

    [Fact]
    public async Task ClearStateAsync_StaleETag_ThrowsInconsistentStateException()
    {
        var grainId = NewGrainId();
        var stale = new GrainState<ProbeState> { State = new ProbeState { Count = 1 } };
        await _storage.WriteStateAsync(StateName, grainId, stale);
        var current = new GrainState<ProbeState> { State = new ProbeState() };
        await _storage.ReadStateAsync(StateName, grainId, current);
        current.State.Count = 2;
        await _storage.WriteStateAsync(StateName, grainId, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync(StateName, grainId, stale));
    }

    [Fact]
    public async Task WriteStateAsync_AfterAnotherActivationCleared_ThrowsInconsistentStateException()
    {
        var grainId = NewGrainId();
        var stale = new GrainState<ProbeState> { State = new ProbeState { Count = 1 } };
        await _storage.WriteStateAsync(StateName, grainId, stale);
        var other = new GrainState<ProbeState> { State = new ProbeState() };
        await _storage.ReadStateAsync(StateName, grainId, other);
        await _storage.ClearStateAsync(StateName, grainId, other);

        stale.State.Count = 2;

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, grainId, stale));
    }

    [Fact]
    public async Task Participate_SiloStarted_CreatedTheConfiguredContainer()
    {
        // The fixture's silo registers the provider with the default container name and never writes before this check;
        // its state lives in that name's container for the silo's service.
        var exists = await fixture.BlobServiceClient.GetBlobContainerClient(GrainStateContainerNames.For(AzureBlobStorageOptions.DEFAULT_CONTAINER_NAME, fixture.ServiceId)).ExistsAsync(Cancellation);

        Assert.True(exists.Value);
    }

    [Fact]
    public async Task ClearStateAsync_NeverWritten_Succeeds()
    {
        var state = new GrainState<ProbeState> { State = new ProbeState() };

        await _storage.ClearStateAsync(StateName, NewGrainId(), state);

        Assert.False(state.RecordExists);
    }

    [Fact]
    public async Task WriteStateAsync_KeysDifferingOnlyBySlashes_DoNotCollide()
    {
        var nested = GrainId.Create("probe", "tenant/experiment/1");
        var flat = GrainId.Create("probe", "tenant%2Fexperiment%2F1");
        await _storage.WriteStateAsync(StateName, nested, new GrainState<ProbeState> { State = new ProbeState { Count = 1 } });
        await _storage.WriteStateAsync(StateName, flat, new GrainState<ProbeState> { State = new ProbeState { Count = 2 } });

        var nestedRead = new GrainState<ProbeState> { State = new ProbeState() };
        var flatRead = new GrainState<ProbeState> { State = new ProbeState() };
        await _storage.ReadStateAsync(StateName, nested, nestedRead);
        await _storage.ReadStateAsync(StateName, flat, flatRead);

        Assert.Equal(1, nestedRead.State.Count);
        Assert.Equal(2, flatRead.State.Count);
    }

    [Fact]
    public async Task WriteStateAsync_AnyGrain_StoresBinaryStateUnderTheOfficialProvidersName()
    {
        var container = StorageFixture.UniqueContainerName("layout");
        var storage = await fixture.CreateGrainStorageAsync(container);
        var grainId = GrainId.Create("experiment", "lab/exp-1");

        await storage.WriteStateAsync("run", grainId, new GrainState<ProbeState> { State = new ProbeState { Count = 3 } });

        var blob = storage.Container.GetBlobClient("run-experiment/lab/exp-1.json");
        Assert.Equal(LegacyGrainStateBlobNames.CurrentName(grainId, "run"), blob.Name);
        var content = (await blob.DownloadContentAsync(Cancellation)).Value.Content;
        Assert.False(GrainStateSerializer.IsLegacyJson(content.ToMemory().Span));
    }

    [Fact]
    public async Task PersistentState_GrainReactivated_ReadsWhatItWrote()
    {
        var grain = fixture.SiloServices.GetRequiredService<IGrainFactory>().GetGrain<IProbeGrain>($"reactivation-{Guid.NewGuid():N}");
        Assert.Equal(1, await grain.RecordAsync("first"));
        Assert.Equal(2, await grain.RecordAsync("second"));

        await grain.DeactivateAsync();
        var reloaded = await grain.GetAsync();

        Assert.Equal(2, reloaded.Count);
        Assert.Equal("second", reloaded.Note);
        Assert.Equal(["first", "second"], reloaded.History);
    }

    private static GrainId NewGrainId() => GrainId.Create("probe", Guid.NewGuid().ToString("N"));
}
