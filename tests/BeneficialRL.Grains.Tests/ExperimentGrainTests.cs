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
}
