using BeneficialRL.AppHost.Silos;
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
        RedisConnectionString = "127.0.0.1:6390",
        BootstrapAdminKey = "brl_key",
    };

    [Fact]
    public void ToEnvironment_ClusteredTrainer_FollowsTheSiloHostContract()
    {
        var environment = Trainer.ToEnvironment();

        Assert.Equal("UseDevelopmentStorage=true", environment["ConnectionStrings__blobs"]);
        Assert.Equal("127.0.0.1:6390", environment["ConnectionStrings__redis"]);
        Assert.Equal("trainer-1", environment["Silo__Name"]);
        Assert.Equal("trainer", environment["Silo__Roles"]);
        Assert.Equal("11112", environment["Silo__SiloPort"]);
        Assert.Equal("30001", environment["Silo__GatewayPort"]);
        Assert.Equal("brl_key", environment["Auth__BootstrapAdminKey"]);
        Assert.Equal("local", environment["Auth__BootstrapTenant"]);
        Assert.Equal("http://127.0.0.1:5101", environment["ASPNETCORE_URLS"]);
    }

    [Fact]
    public void ToEnvironment_NoRedis_UnsetsTheInheritedRedisConnectionString()
    {
        var environment = (Trainer with { RedisConnectionString = null }).ToEnvironment();

        Assert.True(environment.ContainsKey("ConnectionStrings__redis"));
        Assert.Null(environment["ConnectionStrings__redis"]);
    }

    [Fact]
    public void ServesApi_BothRoles_IsTrue()
    {
        Assert.True((Trainer with { Roles = [SiloRoles.Api, SiloRoles.Trainer] }).ServesApi);
        Assert.False(Trainer.ServesApi);
    }
}
