using BeneficialRL.Contracts.BenchmarkRuns;
using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Checkpoints;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.ScenarioSets;
using BeneficialRL.Contracts.Work;

namespace BeneficialRL.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ResourceGrainTests(ClusterFixture fixture)
{
    private static string NewTenant() => $"t-{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task ScenarioSet_AddVersion_SameHashIsIdempotent_NewHashIsNextVersion()
    {
        var grain = fixture.Client.GetGrain<IScenarioSetGrain>(ResourceKey.For(NewTenant(), "ss_1"));
        await grain.CreateAsync("traits", null);
        var v1 = await grain.AddVersionAsync(new NewScenarioSetVersion("aa", "p/aa.jsonl", 10, 100));
        var retry = await grain.AddVersionAsync(new NewScenarioSetVersion("aa", "p/aa.jsonl", 10, 100));
        var v2 = await grain.AddVersionAsync(new NewScenarioSetVersion("bb", "p/bb.jsonl", 12, 120));

        Assert.Equal(v1, retry);
        Assert.Equal(2, v2.Number);
        Assert.Equal(2, (await grain.GetAsync())!.Versions.Count);
    }

    [Fact]
    public async Task ScenarioSet_UpdateWithStaleRevision_ThrowsAcrossTheGrainBoundary()
    {
        var grain = fixture.Client.GetGrain<IScenarioSetGrain>(ResourceKey.For(NewTenant(), "ss_2"));
        var created = await grain.CreateAsync("a", null);
        await grain.UpdateAsync("b", null, created.Revision);
        var e = await Assert.ThrowsAsync<RevisionMismatchException>(() => grain.UpdateAsync("c", null, created.Revision));
        Assert.Equal(created.Revision, e.ExpectedRevision);
        Assert.Equal("b", (await grain.GetAsync())!.Name);
    }

    [Fact]
    public async Task Checkpoint_ReRegisterSameWeights_IsIdempotent_OtherWeightsConflict()
    {
        var grain = fixture.Client.GetGrain<ICheckpointGrain>(ResourceKey.For(NewTenant(), "ckpt_1"));
        var registration = new CheckpointRegistration { Name = "base", WeightsPath = "w", Sha256 = "abc", Bytes = 3, Format = "safetensors", Source = "sft" };
        var first = await grain.RegisterAsync(registration);
        var again = await grain.RegisterAsync(registration);
        Assert.Equal((first.Id, first.CreatedAt, first.Details.Sha256), (again.Id, again.CreatedAt, again.Details.Sha256));
        await Assert.ThrowsAsync<ResourceAlreadyExistsException>(() => grain.RegisterAsync(registration with { Sha256 = "def" }));
    }

    [Fact]
    public async Task BenchmarkRun_IsActivatedOnTheTrainerSilo_WhoseWorkerFailsAMissingCheckpoint()
    {
        var grain = fixture.Client.GetGrain<IBenchmarkRunGrain>(ResourceKey.For(NewTenant(), "run_1"));
        var created = await grain.CreateAsync(new BenchmarkRunRequest { CheckpointId = "ckpt_missing", BenchmarkId = "sycophancy" });
        Assert.Equal(ClusterFixture.TrainerSilo, created.Worker);

        // The trainer's worker picks the run up and fails it: the checkpoint does not exist.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        BenchmarkRunInfo? info;
        while ((info = await grain.GetAsync())!.Status == WorkStatus.Queued && DateTime.UtcNow < deadline) await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(WorkStatus.Failed, info.Status);
        Assert.Contains("ckpt_missing", info.Error);
    }

    [Fact]
    public async Task Index_PagesNewestFirst_AndRejectsMalformedTokens()
    {
        var tenant = NewTenant();
        var index = fixture.Client.GetGrain<IResourceIndexGrain>($"{tenant}/{ResourceKinds.Experiments}");
        var start = fixture.Clock.GetUtcNow();
        for (var i = 0; i < 7; i++) await index.AddAsync($"e{i}", start.AddMinutes(i));
        await index.AddAsync("e3", start.AddMinutes(3)); // idempotent

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await index.ListAsync(token, 3);
            seen.AddRange(page.Ids);
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal(["e6", "e5", "e4", "e3", "e2", "e1", "e0"], seen);
        await Assert.ThrowsAsync<ArgumentException>(() => index.ListAsync("!!not-a-token", 2));
    }
}
