using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.Work;
using BeneficialRL.Experiments.Jobs;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;

namespace BeneficialRL.Grains.Tests;

/// <summary>
/// A stage's jobs spread over the trainer silos (before, Orleans' default placement put a burst of jobs on one silo,
/// whose work queue then ran them one after another while the other trainer idled).
/// </summary>
public sealed class WorkPlacementTests(TwoTrainerClusterFixture fixture) : IClassFixture<TwoTrainerClusterFixture>
{
    [Fact]
    public async Task AStagesJobs_AreSpreadEvenlyOverTheTrainerSilos()
    {
        var id = ResourceKey.NewId("exp");
        var grain = fixture.Client.GetGrain<IExperimentGrain>(ResourceKey.For("acme", id));
        var script = ScriptedJobs.For(id);
        script.HoldStage = StageNames.Training; // no training job ends while the stage's jobs are placed
        var definition = ExperimentPresets.Get("demo");
        await grain.CreateAsync(new ExperimentSpec { Name = "spread", Definition = ExperimentJson.Serialize(definition) });
        await grain.SubmitAsync();

        var training = ExperimentPlan.Stages(definition).Single(s => s.Stage == StageNames.Training).Jobs.Count;
        Assert.Equal(6, training); // 3 seeds × 2 arms
        IReadOnlyList<ExperimentJobInfo> jobs;
        do
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            jobs = [.. (await grain.GetJobsAsync()).Where(j => j.Request.Stage == StageNames.Training)];
        }
        while (jobs.Count < training || script.Started.Count(n => n.StartsWith("train.", StringComparison.Ordinal)) < 2);

        // The base-model job ended before, and its outcome was settled before the stage started: both trainers were idle.
        var perSilo = jobs.GroupBy(j => j.Worker).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["Silo_1"] = 3, ["Silo_2"] = 3 }, perSilo);

        script.Gate.SetResult();
        ExperimentInfo? info;
        do
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            info = await grain.GetAsync();
        }
        while (info is null || !info.Status.IsTerminal());

        Assert.Equal(ExperimentStatus.Completed, info.Status);
        Assert.All(await grain.GetJobsAsync(), j => Assert.Equal(WorkStatus.Completed, j.Status));
    }
}
