using BeneficialRL.Storage.GrainState;
using BeneficialRL.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace BeneficialRL.Storage.Tests.GrainState;

/// <summary>
/// State that silos stored with Orleans' JSON serializer before <see cref="GrainStateSerializer"/>, including the
/// compiler-synthesised collection type that JSON serializer writes but refuses to read, is read once and then
/// rewritten in the binary format.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class LegacyGrainStateTests(StorageFixture fixture)
{
    private const string StateName = "experiment";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadStateAsync_JsonWithASynthesisedCollectionType_ReadsItAndTheNextWriteIsBinary()
    {
        var container = StorageFixture.UniqueContainerName("legacy");
        var json = new JsonGrainStorageSerializer(fixture.SiloServices.GetRequiredService<OrleansJsonSerializer>());
        var oldSilo = fixture.CreateGrainStorage(container, serializer: json);
        var storage = fixture.CreateGrainStorage(container);
        var grainId = GrainId.Create("experiment", Guid.NewGuid().ToString("N"));

        // What the old grain did: a collection expression assigned to an IReadOnlyList member, stored as JSON.
        IReadOnlyList<LegacyStage> stages = [new LegacyStage { Name = "base-model" }];
        var old = new LegacyShapeState { StageIndex = 0, Stages = [.. stages, new LegacyStage { Name = "training" }] };
        Assert.StartsWith("<>z__", old.Stages.GetType().Name, StringComparison.Ordinal);
        await oldSilo.WriteStateAsync(StateName, grainId, new GrainState<LegacyShapeState> { State = old }, Cancellation);

        // The old reader refuses its own output: this is how experiments became unreadable.
        var refused = new GrainState<LegacyShapeState> { State = new LegacyShapeState() };
        await Assert.ThrowsAnyAsync<Exception>(() => oldSilo.ReadStateAsync(StateName, grainId, refused, Cancellation));

        var read = new GrainState<CurrentShapeState> { State = new CurrentShapeState() };
        await storage.ReadStateAsync(StateName, grainId, read, Cancellation);
        Assert.Equal(["base-model", "training"], read.State.Stages.Select(s => s.Name));
        Assert.Equal(0, read.State.StageIndex); // omitted as default(int) by the old writer, not the initializer's -1

        read.State.Stages.Add(new LegacyStage { Name = "evaluation" });
        await storage.WriteStateAsync(StateName, grainId, read, Cancellation);
        var blob = await fixture.BlobServiceClient.GetBlobContainerClient(container)
            .GetBlobClient(GrainStateBlobNames.For(fixture.ServiceId, grainId, StateName)).DownloadContentAsync(Cancellation);
        Assert.False(GrainStateSerializer.IsLegacyJson(blob.Value.Content.ToMemory().Span));

        var again = new GrainState<CurrentShapeState> { State = new CurrentShapeState() };
        await storage.ReadStateAsync(StateName, grainId, again, Cancellation);
        Assert.Equal(["base-model", "training", "evaluation"], again.State.Stages.Select(s => s.Name));
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
