using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Resources;

namespace BeneficialRL.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ExperimentGrainTests(ClusterFixture fixture)
{
    private IExperimentGrain NewExperiment() => fixture.Client.GetGrain<IExperimentGrain>(ResourceKey.For("acme", ResourceKey.NewId("exp")));

    [Fact]
    public async Task Lifecycle_CreatedToCompleted_TimestampsEachTransitionAndLogsEvents()
    {
        var grain = NewExperiment();
        var created = await grain.CreateAsync(new ExperimentSpec { Name = "paper-main" });
        Assert.Equal(ExperimentStatus.Created, created.Status);

        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        var queued = await grain.SubmitAsync();
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        var running = await grain.MarkRunningAsync("trainer-1");
        await grain.ReportProgressAsync("training", 0.25, "step 25/100");
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        var completed = await grain.CompleteAsync();

        Assert.Equal(ExperimentStatus.Completed, completed.Status);
        Assert.True(created.CreatedAt < queued.QueuedAt && queued.QueuedAt < running.StartedAt && running.StartedAt < completed.FinishedAt);
        Assert.Equal("trainer-1", completed.Worker);
        Assert.Equal(0.25, completed.Progress!.Fraction);
        var events = await grain.GetEventsAsync(0);
        Assert.Equal(["status", "status", "status", "progress", "status"], events.Select(e => e.Kind));
        Assert.Equal([1L, 2, 3, 4, 5], events.Select(e => e.Sequence));
        Assert.Equal(events.Skip(3), await grain.GetEventsAsync(3));
    }

    [Fact]
    public async Task IllegalTransitions_AreRejected_AndChangeNothing()
    {
        var grain = NewExperiment();
        await grain.CreateAsync(new ExperimentSpec { Name = "x" });
        await Assert.ThrowsAsync<InvalidResourceStateException>(() => grain.CompleteAsync());
        await Assert.ThrowsAsync<InvalidResourceStateException>(() => grain.MarkRunningAsync("w"));
        await Assert.ThrowsAsync<InvalidResourceStateException>(() => grain.ReportProgressAsync("s", 0.5, null));
        await grain.SubmitAsync();
        await Assert.ThrowsAsync<InvalidResourceStateException>(() => grain.SubmitAsync());
        await grain.MarkRunningAsync("w");
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.ReportProgressAsync("s", 1.5, null));
        await grain.FailAsync("out of memory");
        await Assert.ThrowsAsync<InvalidResourceStateException>(() => grain.CancelAsync(null, null));

        var info = await grain.GetAsync();
        Assert.Equal(ExperimentStatus.Failed, info!.Status);
        Assert.Equal("out of memory", info.Error);
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
    public async Task PauseAndResume_RunningExperiment_MoveThroughPausedWithEventsAndRejectResumeWhenNotPaused()
    {
        var grain = NewExperiment();
        await grain.CreateAsync(new ExperimentSpec { Name = "x" });
        await grain.SubmitAsync();
        var running = await grain.MarkRunningAsync("trainer-1");
        await Assert.ThrowsAsync<InvalidResourceStateException>(() => grain.ResumeAsync(null));
        await Assert.ThrowsAsync<RevisionMismatchException>(() => grain.PauseAsync(running.Revision - 1));

        var paused = await grain.PauseAsync(running.Revision);
        Assert.Equal(ExperimentStatus.Paused, paused.Status);
        Assert.Equal(paused.Revision, (await grain.PauseAsync(null)).Revision); // pausing again changes nothing
        var resumed = await grain.ResumeAsync(paused.Revision);
        Assert.Equal(ExperimentStatus.Running, resumed.Status);

        var statuses = (await grain.GetEventsAsync(0)).Where(e => e.Kind == "status").Select(e => e.Status).ToList();
        Assert.Equal([ExperimentStatus.Created, ExperimentStatus.Queued, ExperimentStatus.Running, ExperimentStatus.Paused, ExperimentStatus.Running], statuses);
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
