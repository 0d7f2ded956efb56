using BeneficialRL.Storage.GrainState;
using BeneficialRL.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace BeneficialRL.Storage.Tests.GrainState;

/// <summary>The IGrainStorage contract of <see cref="BlobGrainStorage"/> against a real Azurite.</summary>
[Collection(StorageCollection.Name)]
public sealed class BlobGrainStorageConformanceTests(StorageFixture fixture)
{
    private const string StateName = "probe";
    private readonly BlobGrainStorage _storage = fixture.CreateGrainStorage(StorageFixture.UniqueContainerName("grains"));

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadStateAsync_NeverWritten_ReturnsDefaultStateWithoutETag()
    {
        var state = new GrainState<ProbeState> { State = new ProbeState { Count = 99 }, ETag = "stale", RecordExists = true };

        await _storage.ReadStateAsync(StateName, NewGrainId(), state, Cancellation);

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

        await _storage.WriteStateAsync(StateName, grainId, state, Cancellation);

        Assert.NotNull(state.ETag);
        Assert.True(state.RecordExists);
    }

    [Fact]
    public async Task ReadStateAsync_AfterWrite_ReturnsWrittenStateAndSameETag()
    {
        var grainId = NewGrainId();
        var written = new GrainState<ProbeState> { State = new ProbeState { Count = 7, Note = "seven", History = ["x", "y"] } };
        await _storage.WriteStateAsync(StateName, grainId, written, Cancellation);

        var read = new GrainState<ProbeState> { State = new ProbeState() };
        await _storage.ReadStateAsync(StateName, grainId, read, Cancellation);

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
        await _storage.WriteStateAsync(StateName, grainId, state, Cancellation);
        var firstETag = state.ETag;

        state.State.Count = 2;
        await _storage.WriteStateAsync(StateName, grainId, state, Cancellation);

        Assert.NotEqual(firstETag, state.ETag);
        var read = new GrainState<ProbeState> { State = new ProbeState() };
        await _storage.ReadStateAsync(StateName, grainId, read, Cancellation);
        Assert.Equal(2, read.State.Count);
        Assert.Equal(state.ETag, read.ETag);
    }

    [Fact]
    public async Task WriteStateAsync_StaleETag_ThrowsInconsistentStateException()
    {
        var grainId = NewGrainId();
        await _storage.WriteStateAsync(StateName, grainId, new GrainState<ProbeState> { State = new ProbeState { Count = 1 } }, Cancellation);
        var first = new GrainState<ProbeState> { State = new ProbeState() };
        var second = new GrainState<ProbeState> { State = new ProbeState() };
        await _storage.ReadStateAsync(StateName, grainId, first, Cancellation);
        await _storage.ReadStateAsync(StateName, grainId, second, Cancellation);
        Assert.Equal(first.ETag, second.ETag);

        first.State.Count = 10;
        await _storage.WriteStateAsync(StateName, grainId, first, Cancellation);
        second.State.Count = 20;

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, grainId, second, Cancellation));
        var read = new GrainState<ProbeState> { State = new ProbeState() };
        await _storage.ReadStateAsync(StateName, grainId, read, Cancellation);
        Assert.Equal(10, read.State.Count);
    }

    [Fact]
    public async Task WriteStateAsync_StaleWriteFromSecondStorageInstance_ThrowsInconsistentStateException()
    {
        // Two providers over one container stand for two silos holding the same grain.
        var container = StorageFixture.UniqueContainerName("twosilos");
        var siloA = fixture.CreateGrainStorage(container);
        var siloB = fixture.CreateGrainStorage(container);
        var grainId = NewGrainId();
        var a = new GrainState<ProbeState> { State = new ProbeState { Count = 1 } };
        await siloA.WriteStateAsync(StateName, grainId, a, Cancellation);
        var b = new GrainState<ProbeState> { State = new ProbeState() };
        await siloB.ReadStateAsync(StateName, grainId, b, Cancellation);

        b.State.Count = 2;
        await siloB.WriteStateAsync(StateName, grainId, b, Cancellation);
        a.State.Count = 3;

        await Assert.ThrowsAsync<InconsistentStateException>(() => siloA.WriteStateAsync(StateName, grainId, a, Cancellation));
    }

    [Fact]
    public async Task WriteStateAsync_CreateWhenAlreadyExists_ThrowsInconsistentStateException()
    {
        var grainId = NewGrainId();
        await _storage.WriteStateAsync(StateName, grainId, new GrainState<ProbeState> { State = new ProbeState { Count = 1 } }, Cancellation);
        var unaware = new GrainState<ProbeState> { State = new ProbeState { Count = 5 } };

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, grainId, unaware, Cancellation));
    }

    [Fact]
    public async Task ClearStateAsync_ThenRead_ReturnsMissingState()
    {
        var grainId = NewGrainId();
        var state = new GrainState<ProbeState> { State = new ProbeState { Count = 4 } };
        await _storage.WriteStateAsync(StateName, grainId, state, Cancellation);

        await _storage.ClearStateAsync(StateName, grainId, state, Cancellation);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        var read = new GrainState<ProbeState> { State = new ProbeState() };
        await _storage.ReadStateAsync(StateName, grainId, read, Cancellation);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal(0, read.State.Count);
    }

    [Fact]
    public async Task WriteStateAsync_AfterClear_CreatesStateAgain()
    {
        var grainId = NewGrainId();
        var state = new GrainState<ProbeState> { State = new ProbeState { Count = 1 } };
        await _storage.WriteStateAsync(StateName, grainId, state, Cancellation);
        await _storage.ClearStateAsync(StateName, grainId, state, Cancellation);

        state.State.Count = 2;
        await _storage.WriteStateAsync(StateName, grainId, state, Cancellation);

        var read = new GrainState<ProbeState> { State = new ProbeState() };
        await _storage.ReadStateAsync(StateName, grainId, read, Cancellation);
        Assert.Equal(2, read.State.Count);
    }

    [Fact]
    public async Task ClearStateAsync_StaleETag_ThrowsInconsistentStateException()
    {
        var grainId = NewGrainId();
        var stale = new GrainState<ProbeState> { State = new ProbeState { Count = 1 } };
        await _storage.WriteStateAsync(StateName, grainId, stale, Cancellation);
        var current = new GrainState<ProbeState> { State = new ProbeState() };
        await _storage.ReadStateAsync(StateName, grainId, current, Cancellation);
        current.State.Count = 2;
        await _storage.WriteStateAsync(StateName, grainId, current, Cancellation);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync(StateName, grainId, stale, Cancellation));
    }

    [Fact]
    public async Task WriteStateAsync_AfterAnotherActivationCleared_ThrowsInconsistentStateException()
    {
        var grainId = NewGrainId();
        var stale = new GrainState<ProbeState> { State = new ProbeState { Count = 1 } };
        await _storage.WriteStateAsync(StateName, grainId, stale, Cancellation);
        var other = new GrainState<ProbeState> { State = new ProbeState() };
        await _storage.ReadStateAsync(StateName, grainId, other, Cancellation);
        await _storage.ClearStateAsync(StateName, grainId, other, Cancellation);

        stale.State.Count = 2;

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, grainId, stale, Cancellation));
    }

    [Fact]
    public async Task Participate_SiloStarted_CreatedTheConfiguredContainer()
    {
        // The fixture's silo registers the provider with the default container name and never writes before this check.
        var exists = await fixture.BlobServiceClient.GetBlobContainerClient(new BlobGrainStorageOptions().ContainerName).ExistsAsync(Cancellation);

        Assert.True(exists.Value);
    }

    [Fact]
    public async Task ClearStateAsync_NeverWritten_Succeeds()
    {
        var state = new GrainState<ProbeState> { State = new ProbeState() };

        await _storage.ClearStateAsync(StateName, NewGrainId(), state, Cancellation);

        Assert.False(state.RecordExists);
    }

    [Fact]
    public async Task WriteStateAsync_KeysDifferingOnlyBySlashes_DoNotCollide()
    {
        var nested = GrainId.Create("probe", "tenant/experiment/1");
        var flat = GrainId.Create("probe", "tenant%2Fexperiment%2F1");
        await _storage.WriteStateAsync(StateName, nested, new GrainState<ProbeState> { State = new ProbeState { Count = 1 } }, Cancellation);
        await _storage.WriteStateAsync(StateName, flat, new GrainState<ProbeState> { State = new ProbeState { Count = 2 } }, Cancellation);

        var nestedRead = new GrainState<ProbeState> { State = new ProbeState() };
        var flatRead = new GrainState<ProbeState> { State = new ProbeState() };
        await _storage.ReadStateAsync(StateName, nested, nestedRead, Cancellation);
        await _storage.ReadStateAsync(StateName, flat, flatRead, Cancellation);

        Assert.Equal(1, nestedRead.State.Count);
        Assert.Equal(2, flatRead.State.Count);
    }

    [Fact]
    public async Task WriteStateAsync_AnyGrain_StoresBinaryStateAtServiceTypeKeyStatePath()
    {
        var container = StorageFixture.UniqueContainerName("layout");
        var storage = fixture.CreateGrainStorage(container);
        var grainId = GrainId.Create("experiment", "lab/exp-1");

        await storage.WriteStateAsync("run", grainId, new GrainState<ProbeState> { State = new ProbeState { Count = 3 } }, Cancellation);

        var expected = $"{Uri.EscapeDataString(fixture.ServiceId)}/experiment/lab%2Fexp-1/run.json";
        var blob = fixture.BlobServiceClient.GetBlobContainerClient(container).GetBlobClient(expected);
        var properties = await blob.GetPropertiesAsync(cancellationToken: Cancellation);
        Assert.Equal("application/octet-stream", properties.Value.ContentType);
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
