using BeneficialRL.Storage.GrainState;
using BeneficialRL.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace BeneficialRL.Storage.Tests.GrainState;

/// <summary>
/// State the silos stored before the official provider: under the old provider's blob names
/// (<see cref="LegacyGrainStateBlobNames"/>) in the shared container, in Orleans' JSON format (with the compiler-synthesised collection type that
/// serializer writes but refuses to read) or already binary. It is moved at start and read; nothing is lost or revived.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class LegacyGrainStateTests(StorageFixture fixture)
{
    private const string StateName = "experiment";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_JsonStateUnderTheOldName_IsMovedReadAndTheNextWriteIsBinary()
    {
        var container = StorageFixture.UniqueContainerName("legacy");
        var grainId = GrainId.Create("experiment", $"lab/{Guid.NewGuid():N}");

        // What the old grain did: a collection expression assigned to an IReadOnlyList member, stored as JSON.
        IReadOnlyList<LegacyStage> stages = [new LegacyStage { Name = "base-model" }];
        var old = new LegacyShapeState { StageIndex = 0, Stages = [.. stages, new LegacyStage { Name = "training" }] };
        Assert.StartsWith("<>z__", old.Stages.GetType().Name, StringComparison.Ordinal);
        var json = new JsonGrainStorageSerializer(fixture.SiloServices.GetRequiredService<OrleansJsonSerializer>());
        await PutLegacyAsync(container, grainId, json.Serialize(old));

        // The old reader refuses its own output: this is how experiments became unreadable.
        Assert.ThrowsAny<Exception>(() => json.Deserialize<LegacyShapeState>(json.Serialize(old)));

        var storage = await fixture.CreateGrainStorageAsync(container);
        var read = new GrainState<CurrentShapeState> { State = new CurrentShapeState() };
        await storage.ReadStateAsync(StateName, grainId, read);
        Assert.True(read.RecordExists);
        Assert.Equal(["base-model", "training"], read.State.Stages.Select(s => s.Name));
        Assert.Equal(0, read.State.StageIndex); // omitted as default(int) by the old writer, not the initializer's -1
        Assert.False(await LegacyBlob(container, grainId).ExistsAsync(Cancellation));

        read.State.Stages.Add(new LegacyStage { Name = "evaluation" });
        await storage.WriteStateAsync(StateName, grainId, read);
        var blob = await storage.Container.GetBlobClient(LegacyGrainStateBlobNames.CurrentName(grainId, StateName)).DownloadContentAsync(Cancellation);
        Assert.False(GrainStateSerializer.IsLegacyJson(blob.Value.Content.ToMemory().Span));

        var again = new GrainState<CurrentShapeState> { State = new CurrentShapeState() };
        await (await fixture.CreateGrainStorageAsync(container)).ReadStateAsync(StateName, grainId, again);
        Assert.Equal(["base-model", "training", "evaluation"], again.State.Stages.Select(s => s.Name));
    }

    [Fact]
    public async Task Start_BinaryStateUnderTheOldName_IsMovedAndReadsBack()
    {
        var container = StorageFixture.UniqueContainerName("legacybin");
        var grainId = GrainId.Create("experiment", $"lab/{Guid.NewGuid():N}");
        var serializer = fixture.SiloServices.GetRequiredService<GrainStateSerializer>();
        await PutLegacyAsync(container, grainId, serializer.Serialize(new CurrentShapeState { StageIndex = 2, Stages = [new LegacyStage { Name = "report" }] }));

        var storage = await fixture.CreateGrainStorageAsync(container);
        var read = new GrainState<CurrentShapeState> { State = new CurrentShapeState() };
        await storage.ReadStateAsync(StateName, grainId, read);

        Assert.Equal(2, read.State.StageIndex);
        Assert.Equal("report", Assert.Single(read.State.Stages).Name);
    }

    [Fact]
    public async Task Start_StateUnderBothNames_KeepsTheNewOneAndRemovesTheOld()
    {
        // A silo of the old version wrote late, or a start was interrupted between copy and delete: the new name wins,
        // and the old blob must not come back to overwrite it (or to revive cleared state) on a later start.
        var container = StorageFixture.UniqueContainerName("legacyboth");
        var grainId = GrainId.Create("experiment", $"lab/{Guid.NewGuid():N}");
        var storage = await fixture.CreateGrainStorageAsync(container);
        var current = new GrainState<CurrentShapeState> { State = new CurrentShapeState { StageIndex = 5 } };
        await storage.WriteStateAsync(StateName, grainId, current);
        var serializer = fixture.SiloServices.GetRequiredService<GrainStateSerializer>();
        await PutLegacyAsync(container, grainId, serializer.Serialize(new CurrentShapeState { StageIndex = 1 }));

        var restarted = await fixture.CreateGrainStorageAsync(container);
        var read = new GrainState<CurrentShapeState> { State = new CurrentShapeState() };
        await restarted.ReadStateAsync(StateName, grainId, read);

        Assert.Equal(5, read.State.StageIndex);
        Assert.Equal(current.ETag, read.ETag);
        Assert.False(await LegacyBlob(container, grainId).ExistsAsync(Cancellation));
    }

    [Fact]
    public async Task Start_ClearedStateAndNoOldBlob_StaysClearedAcrossRestarts()
    {
        var container = StorageFixture.UniqueContainerName("legacyclear");
        var grainId = GrainId.Create("experiment", $"lab/{Guid.NewGuid():N}");
        await PutLegacyAsync(container, grainId, fixture.SiloServices.GetRequiredService<GrainStateSerializer>().Serialize(new CurrentShapeState { StageIndex = 3 }));
        var storage = await fixture.CreateGrainStorageAsync(container);
        var state = new GrainState<CurrentShapeState> { State = new CurrentShapeState() };
        await storage.ReadStateAsync(StateName, grainId, state);
        await storage.ClearStateAsync(StateName, grainId, state);

        var restarted = await fixture.CreateGrainStorageAsync(container);
        var read = new GrainState<CurrentShapeState> { State = new CurrentShapeState() };
        await restarted.ReadStateAsync(StateName, grainId, read);

        Assert.False(read.RecordExists);
    }

    private Azure.Storage.Blobs.BlobContainerClient Blobs(string container) => fixture.BlobServiceClient.GetBlobContainerClient(container);

    private Azure.Storage.Blobs.BlobClient LegacyBlob(string container, GrainId grainId) =>
        Blobs(container).GetBlobClient(LegacyGrainStateBlobNames.For(fixture.ServiceId, grainId, StateName));

    [Fact]
    public async Task Start_StateOfAnotherService_IsLeftWhereItIs()
    {
        var container = StorageFixture.UniqueContainerName("legacyother");
        var grainId = GrainId.Create("experiment", $"lab/{Guid.NewGuid():N}");
        var other = Blobs(container).GetBlobClient(LegacyGrainStateBlobNames.For("another-service", grainId, StateName));
        await Blobs(container).CreateIfNotExistsAsync(cancellationToken: Cancellation);
        await other.UploadAsync(fixture.SiloServices.GetRequiredService<GrainStateSerializer>().Serialize(new CurrentShapeState { StageIndex = 7 }), overwrite: false, Cancellation);

        var storage = await fixture.CreateGrainStorageAsync(container);
        var read = new GrainState<CurrentShapeState> { State = new CurrentShapeState() };
        await storage.ReadStateAsync(StateName, grainId, read);

        Assert.False(read.RecordExists);
        Assert.True(await other.ExistsAsync(Cancellation));
    }

    private async Task PutLegacyAsync(string container, GrainId grainId, BinaryData content)
    {
        await Blobs(container).CreateIfNotExistsAsync(cancellationToken: Cancellation);
        await LegacyBlob(container, grainId).UploadAsync(content, overwrite: false, Cancellation);
    }
}

/// <summary>A stage record of the probe states.</summary>
[GenerateSerializer]
public sealed class LegacyStage
{
    /// <summary>Stage name.</summary>
    [Id(0)]
    public string Name { get; set; } = string.Empty;
}

/// <summary>The shape grain states had before: an interface-typed collection member.</summary>
[GenerateSerializer]
public sealed class LegacyShapeState
{
    /// <summary>Current stage; -1 before the first.</summary>
    [Id(0)]
    public int StageIndex { get; set; } = -1;

    /// <summary>Stages so far.</summary>
    [Id(1)]
    public IReadOnlyList<LegacyStage> Stages { get; set; } = [];
}

/// <summary>The same state with a concrete collection type, as grain states are declared now.</summary>
[GenerateSerializer]
public sealed class CurrentShapeState
{
    /// <summary>Current stage; -1 before the first.</summary>
    [Id(0)]
    public int StageIndex { get; set; } = -1;

    /// <summary>Stages so far.</summary>
    [Id(1)]
    public List<LegacyStage> Stages { get; set; } = [];
}
