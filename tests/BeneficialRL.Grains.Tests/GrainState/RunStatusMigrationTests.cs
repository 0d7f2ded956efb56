using BeneficialRL.Contracts.BenchmarkRuns;
using BeneficialRL.Contracts.Durability;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.Work;
using BeneficialRL.Grains.BenchmarkRuns;
using BeneficialRL.Grains.Hosting;
using BeneficialRL.Grains.Durability;
using BeneficialRL.Grains.Workers;
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
    public static TheoryData<string, int, WorkStatus> StoredBefore => new()
    {
        { "benchmark", 2, WorkStatus.Completed },
        { "benchmark", 3, WorkStatus.Failed },
        { "benchmark", 4, WorkStatus.Cancelled },
        { "persistence", 2, WorkStatus.Completed },
        { "persistence", 3, WorkStatus.Failed },
        { "persistence", 4, WorkStatus.Cancelled },
    };

    private IGrainStorage Storage => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Default);

    [Theory]
    [MemberData(nameof(StoredBefore))]
    public async Task Run_StoredBeforeWorkStatus_ReadsWithItsOwnStatusAndIsRewritten(string kind, int stored, WorkStatus expected)
    {
        var tenant = $"t-{Guid.NewGuid():N}"[..16];
        var now = fixture.Clock.GetUtcNow();
        if (kind == "benchmark")
        {
            var grain = fixture.Client.GetGrain<IBenchmarkRunGrain>(ResourceKey.For(tenant, "run_old"));
            var old = new BenchmarkRunInfo
            {
                Id = "run_old",
                Tenant = tenant,
                CheckpointId = "ckpt_1",
                BenchmarkId = "honesty-mc",
                Status = (WorkStatus)stored,
                CreatedAt = now,
                FinishedAt = now,
                Worker = "trainer-0",
            };
            await AssertReadAndRewrittenAsync<BenchmarkRunState, BenchmarkRunInfo>(grain.GetGrainId(), old, grain.GetAsync, info => info.Status, expected);
        }
        else
        {
            var grain = fixture.Client.GetGrain<IPersistenceRunGrain>(ResourceKey.For(tenant, "prun_old"));
            var old = new PersistenceRunInfo
            {
                Id = "prun_old",
                Tenant = tenant,
                Status = (WorkStatus)stored,
                CreatedAt = now,
                Worker = "trainer-0",
                Request = new PersistenceRunRequest { CheckpointId = "ckpt_1", Spec = "{}" },
            };
            await AssertReadAndRewrittenAsync<PersistenceRunState, PersistenceRunInfo>(grain.GetGrainId(), old, grain.GetAsync, info => info.Status, expected);
        }
    }

    /// <summary>Stores <paramref name="old"/> under the scheme before <see cref="WorkStatus"/>, reads it through the grain, and checks what was written back.</summary>
    private async Task AssertReadAndRewrittenAsync<TState, TInfo>(GrainId grainId, TInfo old, Func<Task<TInfo?>> get, Func<TInfo, WorkStatus> statusOf, WorkStatus expected)
        where TState : IRunState<TInfo>, new()
        where TInfo : class
    {
        await Storage.WriteStateAsync("run", grainId, new GrainState<TState> { State = new TState { Info = old } });

        Assert.Equal(expected, statusOf((await get())!));

        var rewritten = new GrainState<TState> { State = new TState() };
        await Storage.ReadStateAsync("run", grainId, rewritten);
        Assert.Equal(WorkStatuses.CurrentRunStatusScheme, rewritten.State.StatusScheme);
        Assert.Equal(expected, statusOf(rewritten.State.Info!));
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
