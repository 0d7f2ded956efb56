using BeneficialRL.LocalInfrastructure;
using BeneficialRL.Contracts.Cluster;

namespace BeneficialRL.Cluster.Tests.Clustering;

public sealed class SiloLaunchSettingsTests
{
    private static readonly SiloLaunchSettings Trainer = new()
    {
        Name = "trainer-1",
        Roles = [SiloRoles.Trainer],
        HttpPort = 5101,
        SiloPort = 11112,
        GatewayPort = 30001,
        BlobConnectionString = "UseDevelopmentStorage=true",
        BootstrapAdminKey = "brl_key",
    };

    [Fact]
    public void ToEnvironment_Trainer_FollowsTheSiloHostContract()
    {
        var environment = Trainer.ToEnvironment();

        Assert.Equal("UseDevelopmentStorage=true", environment["ConnectionStrings__blobs"]);
        Assert.False(environment.ContainsKey("ConnectionStrings__redis"));
        Assert.Equal(SiloLaunchSettings.RunClusterId, environment["Orleans__ClusterId"]);
        Assert.Equal("trainer-1", environment["Silo__Name"]);
        Assert.Equal("trainer", environment["Silo__Roles"]);
        Assert.Equal("11112", environment["Silo__SiloPort"]);
        Assert.Equal("30001", environment["Silo__GatewayPort"]);
        Assert.Equal("brl_key", environment["Auth__BootstrapAdminKey"]);
        Assert.Equal("local", environment["Auth__BootstrapTenant"]);
        Assert.Equal("http://127.0.0.1:5101", environment["ASPNETCORE_URLS"]);
    }

    [Fact]
    public void RunClusterId_IsNewForThisRun_AndNotTheStandaloneDefault()
    {
        Assert.StartsWith("local-", SiloLaunchSettings.RunClusterId, StringComparison.Ordinal);
        Assert.NotEqual("beneficialrl-local", Trainer.ClusterId);
        Assert.Equal("beneficialrl", Trainer.ServiceId); // state and reminders outlive the run
    }
}
