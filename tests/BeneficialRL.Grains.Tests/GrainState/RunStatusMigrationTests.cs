using BeneficialRL.Contracts.BenchmarkRuns;
using BeneficialRL.Contracts.Durability;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.Work;
using BeneficialRL.Grains.BenchmarkRuns;
using BeneficialRL.Grains.Hosting;
using BeneficialRL.Grains.Durability;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace BeneficialRL.Grains.Tests.GrainState;

/// <summary>
/// Benchmark and persistence runs stored before <see cref="WorkStatus"/> (Completed, Failed, Cancelled as 2, 3, 4)
/// read back with the status they had, not as the values' new meaning (Paused, Completed, Failed).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RunStatusMigrationTests(ClusterFixture fixture)
{
    public static TheoryData<int, WorkStatus> StoredBefore => new()
    {
        { 2, WorkStatus.Completed },
        { 3, WorkStatus.Failed },
        { 4, WorkStatus.Cancelled },
    };

    private IGrainStorage Storage => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Default);

    [Theory]
    [MemberData(nameof(StoredBefore))]
    public async Task BenchmarkRun_StoredBeforeWorkStatus_ReadsWithItsOwnStatusAndIsRewritten(int stored, WorkStatus expected)
    {
        var tenant = $"t-{Guid.NewGuid():N}"[..16];
        var grain = fixture.Client.GetGrain<IBenchmarkRunGrain>(ResourceKey.For(tenant, "run_old"));
        var old = new BenchmarkRunInfo
        {
            Id = "run_old",
            Tenant = tenant,
            CheckpointId = "ckpt_1",
            BenchmarkId = "honesty-mc",
            Status = (WorkStatus)stored,
            CreatedAt = fixture.Clock.GetUtcNow(),
            FinishedAt = fixture.Clock.GetUtcNow(),
            Worker = "trainer-0",
        };
        await Storage.WriteStateAsync("run", grain.GetGrainId(), new GrainState<BenchmarkRunState> { State = new BenchmarkRunState { Info = old } });

        Assert.Equal(expected, (await grain.GetAsync())!.Status);

        var rewritten = new GrainState<BenchmarkRunState> { State = new BenchmarkRunState() };
        await Storage.ReadStateAsync("run", grain.GetGrainId(), rewritten);
        Assert.Equal(WorkStatuses.CurrentRunStatusScheme, rewritten.State.StatusScheme);
        Assert.Equal(expected, rewritten.State.Info!.Status);
    }

    [Theory]
    [MemberData(nameof(StoredBefore))]
    public async Task PersistenceRun_StoredBeforeWorkStatus_ReadsWithItsOwnStatusAndIsRewritten(int stored, WorkStatus expected)
    {
        var tenant = $"t-{Guid.NewGuid():N}"[..16];
        var grain = fixture.Client.GetGrain<IPersistenceRunGrain>(ResourceKey.For(tenant, "prun_old"));
        var old = new PersistenceRunInfo
        {
            Id = "prun_old",
            Tenant = tenant,
            Status = (WorkStatus)stored,
            CreatedAt = fixture.Clock.GetUtcNow(),
            Worker = "trainer-0",
            Request = new PersistenceRunRequest { CheckpointId = "ckpt_1", Spec = "{}" },
        };
        await Storage.WriteStateAsync("run", grain.GetGrainId(), new GrainState<PersistenceRunState> { State = new PersistenceRunState { Info = old } });

        Assert.Equal(expected, (await grain.GetAsync())!.Status);

        var rewritten = new GrainState<PersistenceRunState> { State = new PersistenceRunState() };
        await Storage.ReadStateAsync("run", grain.GetGrainId(), rewritten);
        Assert.Equal(WorkStatuses.CurrentRunStatusScheme, rewritten.State.StatusScheme);
    }

    [Fact]
    public void Transitions_AreTheLifecycleOfQueuedWork()
    {
        Assert.True(WorkStatuses.CanMove(WorkStatus.Queued, WorkStatus.Running));
        Assert.True(WorkStatuses.CanMove(WorkStatus.Running, WorkStatus.Running)); // another attempt
        Assert.True(WorkStatuses.CanMove(WorkStatus.Paused, WorkStatus.Queued));
        Assert.False(WorkStatuses.CanMove(WorkStatus.Queued, WorkStatus.Completed)); // nothing completes unstarted
        Assert.False(WorkStatuses.CanMove(WorkStatus.Paused, WorkStatus.Running)); // a resume queues it first
        foreach (var terminal in Enum.GetValues<WorkStatus>().Where(s => s.IsTerminal()))
        {
            Assert.DoesNotContain(Enum.GetValues<WorkStatus>(), to => WorkStatuses.CanMove(terminal, to));
        }
    }
}
