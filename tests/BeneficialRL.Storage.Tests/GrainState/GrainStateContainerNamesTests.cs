using BeneficialRL.Storage.GrainState;

namespace BeneficialRL.Storage.Tests.GrainState;

/// <summary>One container per service: the official provider's blob names carry no service id.</summary>
public sealed class GrainStateContainerNamesTests
{
    [Theory]
    [InlineData("beneficialrl", "grainstate-beneficialrl")]
    [InlineData("cluster-test-3f05f8098215", "grainstate-cluster-test-3f05f8098215")]
    public void For_ServiceIdThatIsAValidName_IsReadable(string serviceId, string expected) =>
        Assert.Equal(expected, GrainStateContainerNames.For("grainstate", serviceId));

    [Theory]
    [InlineData("BeneficialRL")]
    [InlineData("svc_1")]
    [InlineData("a--b")]
    [InlineData("trailing-")]
    [InlineData("storage-tests-0123456789abcdef0123456789abcdef0123456789")]
    public void For_AnyOtherServiceId_IsAValidNameFromItsHash(string serviceId)
    {
        var name = GrainStateContainerNames.For("grainstate", serviceId);

        Assert.Matches("^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$", name);
        Assert.Matches("-[0-9a-f]{12}$", name);
    }

    [Fact]
    public void For_DistinctServiceIds_NeverShareAContainer()
    {
        string[] ids = ["BeneficialRL", "beneficialrl", "Beneficialrl", "svc_1", "svc-1", "svc.1"];

        Assert.Equal(ids.Length, ids.Select(id => GrainStateContainerNames.For("grainstate", id)).Distinct().Count());
    }

    [Fact]
    public void For_LongBaseName_StaysWithinTheLimit() =>
        Assert.True(GrainStateContainerNames.For(new string('g', 63), "beneficialrl").Length <= 63);
}
