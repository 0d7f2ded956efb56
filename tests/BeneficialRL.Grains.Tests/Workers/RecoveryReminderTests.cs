using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.Work;
using BeneficialRL.Grains.Experiments;
using BeneficialRL.Grains.Tests.GrainState;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace BeneficialRL.Grains.Tests.Workers;

/// <summary>
/// Unfinished work always has the reminder that brings it back. Chaos trial 20 (<c>docs/reliability.md</c>) hung on a
/// job whose state was stored but whose reminder was not (its silo died between the two), and whose one attempt on the
/// replacement silo met a transient failure, which leaves a job queued for its reminder. Here the state is written
/// straight into grain storage with no reminder, as that silo left it, and the grain is activated.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RecoveryReminderTests(ClusterFixture fixture)
{
    private IServiceProvider SiloServices => fixture.Cluster.Silos[0].ServiceProvider;

    public static TheoryData<string> UnfinishedExperiments => ["experiment-stage-base-model", "experiment-stage-evaluation", "experiment-paused-with-alarm"];

    public static TheoryData<string> FinishedExperiments => ["experiment-created", "experiment-completed", "experiment-cancelled", "experiment-failed"];

    [Fact]
    public async Task Activation_OfAnUnfinishedJobStoredWithoutItsReminder_RegistersTheResumeReminder()
    {
        // Paused: unfinished, but the worker leaves it alone, so nothing but activation touches the reminder.
        var experimentId = ResourceKey.NewId("exp");
        var key = ExperimentJobKeys.For("acme", experimentId, "train.treatment-s1");
        var job = fixture.Client.GetGrain<IExperimentJobGrain>(key);
        var stored = (ExperimentJobState)RealisticGrainStates.All["job-training-with-checkpoint"];
        await StoreAsync(job, "job", new ExperimentJobState { Info = stored.Info! with { ExperimentId = experimentId, Status = WorkStatus.Paused } });

        Assert.Null(await ReminderAsync(job, "resume"));
        Assert.Equal(WorkStatus.Paused, (await job.GetAsync())!.Status);

        Assert.NotNull(await ReminderAsync(job, "resume"));
    }

    [Theory]
    [MemberData(nameof(UnfinishedExperiments))]
    public async Task Activation_OfASubmittedUnfinishedExperimentStoredWithoutItsReminder_RegistersTheReconcileReminder(string sample)
    {
        var experiment = fixture.Client.GetGrain<IExperimentGrain>(ResourceKey.For("acme", ResourceKey.NewId("exp")));
        await StoreAsync(experiment, "experiment", (ExperimentState)RealisticGrainStates.All[sample]);

        Assert.NotNull(await experiment.GetAsync());

        Assert.NotNull(await ReminderAsync(experiment, "reconcile"));

        // Finished, so that the reminder removes itself when it fires instead of driving this sample's stages.
        await StoreAsync(experiment, "experiment", (ExperimentState)RealisticGrainStates.All["experiment-completed"]);
        await fixture.Cluster.DeactivateAsync(experiment);
    }

    [Theory]
    [MemberData(nameof(FinishedExperiments))]
    public async Task Activation_OfAnExperimentNotSubmittedOrFinished_RegistersNoReminder(string sample)
    {
        var experiment = fixture.Client.GetGrain<IExperimentGrain>(ResourceKey.For("acme", ResourceKey.NewId("exp")));
        await StoreAsync(experiment, "experiment", (ExperimentState)RealisticGrainStates.All[sample]);

        Assert.NotNull(await experiment.GetAsync());

        Assert.Null(await ReminderAsync(experiment, "reconcile"));
    }

    private async Task StoreAsync<T>(IAddressable grain, string stateName, T state)
        where T : new()
    {
        var storage = SiloServices.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Default);
        var stored = new GrainState<T>(new T());
        await storage.ReadStateAsync(stateName, grain.GetGrainId(), stored); // its ETag, if written before
        stored.State = state;
        await storage.WriteStateAsync(stateName, grain.GetGrainId(), stored);
    }

    private Task<ReminderEntry?> ReminderAsync(IAddressable grain, string name) =>
        SiloServices.GetRequiredService<IReminderTable>().ReadRow(grain.GetGrainId(), name)!;
}
