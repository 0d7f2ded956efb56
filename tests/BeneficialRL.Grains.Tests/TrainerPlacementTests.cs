using System.Net;
using BeneficialRL.Contracts.Cluster;
using BeneficialRL.Grains.Placement;
using Orleans.Runtime;

namespace BeneficialRL.Grains.Tests;

public sealed class TrainerPlacementTests
{
    private static readonly SiloAddress Api = SiloAddress.New(IPAddress.Loopback, 1, 1);
    private static readonly SiloAddress Trainer = SiloAddress.New(IPAddress.Loopback, 2, 1);
    private static readonly SiloAddress Both = SiloAddress.New(IPAddress.Loopback, 3, 1);

    private static readonly Dictionary<SiloAddress, string> Roles = new() { [Api] = "api", [Trainer] = "trainer", [Both] = "api,trainer" };

    [Fact]
    public void Filter_KeepsOnlySilosWithTheTrainerRole()
    {
        var kept = TrainerPlacementFilterDirector.SelectTrainers([Api, Trainer, Both], s => Roles.GetValueOrDefault(s), "grain");
        Assert.Equal([Trainer, Both], kept);
    }

    [Fact]
    public void Filter_WithNoTrainer_ExplainsWhatToStart()
    {
        var e = Assert.Throws<OrleansException>(() => TrainerPlacementFilterDirector.SelectTrainers([Api], s => Roles.GetValueOrDefault(s), "run/1"));
        Assert.Contains("trainer", e.Message);
        Assert.Contains("run/1", e.Message);
    }

    [Fact]
    public void LeastBusy_PicksTheSiloWithTheLeastPendingWork()
    {
        var random = new Random(1);
        Assert.Equal(Both, LeastBusyTrainerPlacementDirector.LeastBusy([(Trainer, 2), (Both, 1)], random));
        Assert.Equal(Trainer, LeastBusyTrainerPlacementDirector.LeastBusy([(Trainer, 0), (Both, 3)], random));
    }

    [Fact]
    public void LeastBusy_AmongEquals_PicksEachSometimes()
    {
        var random = new Random(7);
        var picks = Enumerable.Range(0, 200).Select(_ => LeastBusyTrainerPlacementDirector.LeastBusy([(Trainer, 1), (Both, 1), (Api, 4)], random)).ToList();
        Assert.Contains(Trainer, picks);
        Assert.Contains(Both, picks);
        Assert.DoesNotContain(Api, picks);
    }

    [Fact]
    public void LeastBusy_ASiloThatDidNotAnswer_LosesToOneThatDid_AndIsChosenOnlyWhenNoneAnswered()
    {
        var random = new Random(3);
        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal(Both, LeastBusyTrainerPlacementDirector.LeastBusy([(Trainer, null), (Both, 5)], random)));
        var picks = Enumerable.Range(0, 200).Select(_ => LeastBusyTrainerPlacementDirector.LeastBusy([(Trainer, null), (Both, null)], random)).ToList();
        Assert.Contains(Trainer, picks);
        Assert.Contains(Both, picks);
        Assert.Throws<ArgumentException>(() => LeastBusyTrainerPlacementDirector.LeastBusy([], random));
    }

    [Fact]
    public void LeastBusy_SequentialPlacements_AlternateBetweenIdleTrainers()
    {
        // What a stage's start does: each job is queued before the next is placed, so the loads read are current.
        var random = new Random(11);
        var pending = new Dictionary<SiloAddress, int> { [Trainer] = 0, [Both] = 0 };
        for (var job = 0; job < 6; job++)
        {
            var silo = LeastBusyTrainerPlacementDirector.LeastBusy([.. pending.Select(p => (p.Key, (int?)p.Value))], random);
            pending[silo]++;
            Assert.True(Math.Abs(pending[Trainer] - pending[Both]) <= 1, $"after job {job + 1}: {pending[Trainer]} and {pending[Both]}");
        }

        Assert.Equal(3, pending[Trainer]);
        Assert.Equal(3, pending[Both]);
    }

    [Theory]
    [InlineData("api,trainer", new[] { "api", "trainer" })]
    [InlineData(" Trainer ", new[] { "trainer" })]
    public void Parse_AcceptsKnownRoles(string value, string[] expected) => Assert.Equal(expected, SiloRoles.Parse(value));

    [Fact]
    public void Parse_RejectsUnknownRoles() => Assert.Throws<ArgumentException>(() => SiloRoles.Parse("api,gpu"));
}
