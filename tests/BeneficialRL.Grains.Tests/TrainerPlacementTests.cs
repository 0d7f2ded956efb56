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

    [Theory]
    [InlineData("api,trainer", new[] { "api", "trainer" })]
    [InlineData(" Trainer ", new[] { "trainer" })]
    public void Parse_AcceptsKnownRoles(string value, string[] expected) => Assert.Equal(expected, SiloRoles.Parse(value));

    [Fact]
    public void Parse_RejectsUnknownRoles() => Assert.Throws<ArgumentException>(() => SiloRoles.Parse("api,gpu"));
}
