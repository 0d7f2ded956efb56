using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.Work;
using BeneficialRL.Experiments.Jobs;
using BeneficialRL.Experiments.Reports;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ExperimentGrainTests(ClusterFixture fixture)
{
    private IExperimentGrain NewExperiment() => NewExperimentWithId().Grain;

    private (IExperimentGrain Grain, string Id) NewExperimentWithId()
    {
        var id = ResourceKey.NewId("exp");
        return (fixture.Client.GetGrain<IExperimentGrain>(ResourceKey.For("acme", id)), id);
    }

    /// <summary>Polls the experiment until <paramref name="done"/> holds: job news arrives one-way, from the worker's own thread.</summary>
    private static async Task<ExperimentInfo> WaitUntilAsync(IExperimentGrain grain, Func<ExperimentInfo, bool> done)
    {
        while (true)
        {
            var info = await grain.GetAsync();
            if (info is not null && done(info)) return info;
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Submit_WithADefinition_RunsEveryJobOfThePlanStageByStage_AndCompletesWithTheReport()
    {
        var (grain, id) = NewExperimentWithId();
        var definition = ExperimentPresets.Get("quick");
        var created = await grain.CreateAsync(new ExperimentSpec { Name = "quick", Definition = ExperimentJson.Serialize(definition) });
        Assert.Equal(ExperimentStatus.Created, created.Status);

        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        var queued = await grain.SubmitAsync();
        var completed = await WaitUntilAsync(grain, i => i.Status.IsTerminal());

        Assert.Equal(ExperimentStatus.Completed, completed.Status);
        Assert.True(created.CreatedAt < queued.QueuedAt && queued.QueuedAt <= completed.StartedAt && completed.StartedAt <= completed.FinishedAt);
        var plan = ExperimentPlan.Stages(definition);
        Assert.Equal(plan.Select(s => s.Stage), completed.Stages.Select(s => s.Name));
        Assert.All(completed.Stages, s => Assert.NotNull(s.FinishedAt));
        // Each stage started only after every job of the one before ended.
        Assert.Equal(plan.SelectMany(s => s.Jobs).Select(j => j.Name).Order(StringComparer.Ordinal), ScriptedJobs.For(id).Ended.Order(StringComparer.Ordinal));
        var order = ScriptedJobs.For(id).Started.ToList();
        for (var i = 1; i < plan.Count; i++)
            Assert.True(plan[i - 1].Jobs.Max(j => order.IndexOf(j.Name)) < plan[i].Jobs.Min(j => order.IndexOf(j.Name)), $"stage {plan[i].Stage} started early: {string.Join(", ", order)}");
        var jobs = await grain.GetJobsAsync();
        Assert.All(jobs, j => Assert.Equal(WorkStatus.Completed, j.Status));
        Assert.All(jobs.Where(j => j.Request.Kind == ExperimentJobKind.TrainingRun), j => Assert.Equal(2, j.LastCheckpointStep));
        Assert.Equal(TenantBlobLayout.InTenant("acme", TenantBlobLayout.Report(id, ReportStage.JsonFile)), completed.Results!.ReportJson);

        var events = await grain.GetEventsAsync(0);
        Assert.Equal([ExperimentStatus.Created, ExperimentStatus.Queued, ExperimentStatus.Running, ExperimentStatus.Completed], events.Where(e => e.Kind == "status").Select(e => e.Status));
        Assert.Equal(plan.Select(s => s.Stage), events.Where(e => e.Kind == "stage" && e.Fraction == 0).Select(e => e.Stage));
        Assert.Contains(events, e => e.Kind == "progress" && e.Job == "train.treatment-s1");
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(events.Skip(3), await grain.GetEventsAsync(3));
    }

    [Fact]
    public async Task AJobFailure_FailsTheExperimentWithTheJobsError_AndStartsNoFurtherStage()
    {
        var (grain, id) = NewExperimentWithId();
        ScriptedJobs.For(id).FailJob = "eval.treatment-s1";
        await grain.CreateAsync(new ExperimentSpec { Name = "fails", Definition = ExperimentJson.Serialize(ExperimentPresets.Get("quick")) });
        await grain.SubmitAsync();

        var failed = await WaitUntilAsync(grain, i => i.Status.IsTerminal());

        Assert.Equal(ExperimentStatus.Failed, failed.Status);
        Assert.Contains("eval.treatment-s1", failed.Error, StringComparison.Ordinal);
        Assert.Contains("scripted failure", failed.Error, StringComparison.Ordinal);
        Assert.Equal(StageNames.Evaluation, failed.Stages[^1].Name);
        Assert.DoesNotContain("report", ScriptedJobs.For(id).Started);
        await Assert.ThrowsAsync<InvalidResourceStateException>(() => grain.CancelAsync(null, null));
        await Assert.ThrowsAsync<InvalidResourceStateException>(() => grain.PauseAsync(null));
    }

    [Fact]
    public async Task IllegalTransitions_AreRejected_AndChangeNothing()
    {
        var grain = NewExperiment();
        await grain.CreateAsync(new ExperimentSpec { Name = "x" });
        await Assert.ThrowsAsync<InvalidResourceStateException>(() => grain.ResumeAsync(null));
        await grain.SubmitAsync();
        await Assert.ThrowsAsync<InvalidResourceStateException>(() => grain.SubmitAsync());
        await Assert.ThrowsAsync<InvalidResourceStateException>(() => grain.ResumeAsync(null));
        var cancelled = await grain.CancelAsync("not needed", null);
        await Assert.ThrowsAsync<InvalidResourceStateException>(() => grain.PauseAsync(null));
        await Assert.ThrowsAsync<InvalidResourceStateException>(() => grain.ResumeAsync(null));
        await Assert.ThrowsAsync<InvalidResourceStateException>(() => grain.SubmitAsync());

        var info = await grain.GetAsync();
        Assert.Equal((ExperimentStatus.Cancelled, cancelled.Revision), (info!.Status, info.Revision));
        Assert.Equal("Cancelled: not needed", info.Error);
    }

    [Fact]
    public async Task Cancel_WithStaleRevision_ThrowsRevisionMismatch_AndIsIdempotentOnceCancelled()
    {
        var grain = NewExperiment();
        var created = await grain.CreateAsync(new ExperimentSpec { Name = "x" });
        await grain.SubmitAsync();
        var mismatch = await Assert.ThrowsAsync<RevisionMismatchException>(() => grain.CancelAsync(null, created.Revision));
        Assert.Equal(created.Revision + 1, mismatch.CurrentRevision);

        var cancelled = await grain.CancelAsync("changed my mind", created.Revision + 1);
        Assert.Equal(ExperimentStatus.Cancelled, cancelled.Status);
        var again = await grain.CancelAsync(null, null);
        Assert.Equal((cancelled.Status, cancelled.Revision), (again.Status, again.Revision));
    }

    [Fact]
    public async Task State_SurvivesDeactivation_BecauseItIsReadBackFromBlobStorage()
    {
        var grain = NewExperiment();
        await grain.CreateAsync(new ExperimentSpec { Name = "durable", Labels = new Dictionary<string, string> { ["k"] = "v" } });
        await grain.SubmitAsync();
        var before = await grain.GetAsync();

        await fixture.Cluster.DeactivateAsync(grain);
        var after = await grain.GetAsync();

        Assert.Equal(before!.Status, after!.Status);
        Assert.Equal(before.Revision, after.Revision);
        Assert.Equal("v", after.Spec.Labels["k"]);
        Assert.Equal(2, (await grain.GetEventsAsync(0)).Count);
    }

    [Fact]
    public async Task Create_Twice_Throws()
    {
        var grain = NewExperiment();
        await grain.CreateAsync(new ExperimentSpec { Name = "x" });
        await Assert.ThrowsAsync<ResourceAlreadyExistsException>(() => grain.CreateAsync(new ExperimentSpec { Name = "x" }));
    }

    [Fact]
    public async Task PauseAndResume_DuringTraining_StopsTheRunningJobsAndRunsThemAgain_AndRejectResumeWhenNotPaused()
    {
        var (grain, id) = NewExperimentWithId();
        var script = ScriptedJobs.For(id);
        script.HoldStage = StageNames.Training;
        await grain.CreateAsync(new ExperimentSpec { Name = "paused", Definition = ExperimentJson.Serialize(ExperimentPresets.Get("quick")) });
        await grain.SubmitAsync();
        var running = await WaitUntilAsync(grain, _ => script.Started.Contains("train.baseline-s1"));
        running = await WaitUntilAsync(grain, i => i.Status == ExperimentStatus.Running);
        await Assert.ThrowsAsync<InvalidResourceStateException>(() => grain.ResumeAsync(null));
        await Assert.ThrowsAsync<RevisionMismatchException>(() => grain.PauseAsync(running.Revision - 1));

        var paused = await grain.PauseAsync(null);
        Assert.Equal(ExperimentStatus.Paused, paused.Status);
        Assert.Equal(paused.Revision, (await grain.PauseAsync(null)).Revision); // pausing again changes nothing
        Assert.All((await grain.GetJobsAsync()).Where(j => j.Request.Stage == StageNames.Training), j => Assert.Equal(WorkStatus.Paused, j.Status));
        await WaitUntilAsync(grain, _ => script.Ended.Contains("train.baseline-s1")); // the held attempt was stopped

        var resumed = await grain.ResumeAsync(paused.Revision);
        Assert.Equal(ExperimentStatus.Running, resumed.Status);
        script.Gate.SetResult();
        var completed = await WaitUntilAsync(grain, i => i.Status.IsTerminal());

        Assert.Equal(ExperimentStatus.Completed, completed.Status);
        Assert.Equal(2, script.Started.Count(n => n == "train.baseline-s1")); // the paused attempt, then the resumed one
        var statuses = (await grain.GetEventsAsync(0)).Where(e => e.Kind == "status").Select(e => e.Status).ToList();
        Assert.Equal([ExperimentStatus.Created, ExperimentStatus.Queued, ExperimentStatus.Running, ExperimentStatus.Paused, ExperimentStatus.Running, ExperimentStatus.Completed], statuses);
    }

    [Fact]
    public async Task RaiseAlarm_SameRunTwice_IsKeptOnceAndSentAsAnAlarmEvent()
    {
        var grain = NewExperiment();
        await grain.CreateAsync(new ExperimentSpec { Name = "x" });
        var alarm = new ExperimentAlarm { Kind = "reward-hacking", Run = "treatment-s1", Step = 20, Message = "reward up, held-out down", At = fixture.Clock.GetUtcNow() };

        await grain.RaiseAlarmAsync(alarm);
        await grain.RaiseAlarmAsync(alarm with { Step = 30 }); // a resumed run raises it again

        // One-way calls: the caller does not wait for them to be processed.
        var info = await grain.GetAsync();
        for (var i = 0; i < 100 && info!.Alarms.Count == 0; i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            info = await grain.GetAsync();
        }

        Assert.Equal("treatment-s1", Assert.Single(info!.Alarms).Run);
        var events = await grain.GetEventsAsync(0);
        var sent = Assert.Single(events, e => e.Kind == "alarm");
        Assert.Equal(("treatment-s1", "reward up, held-out down"), (sent.Job, sent.Message));
    }

    [Fact]
    public async Task Create_WithAnInvalidDefinition_ThrowsAndStoresNothing()
    {
        var grain = NewExperiment();
        var definition = BeneficialRL.Experiments.Specs.ExperimentJson.Serialize(new BeneficialRL.Experiments.Specs.ExperimentDefinition { Name = "no arms" });
        var error = await Assert.ThrowsAsync<ArgumentException>(() => grain.CreateAsync(new ExperimentSpec { Name = "x", Definition = definition }));
        Assert.Contains("$.arms", error.Message, StringComparison.Ordinal);
        Assert.Null(await grain.GetAsync());
    }
}
