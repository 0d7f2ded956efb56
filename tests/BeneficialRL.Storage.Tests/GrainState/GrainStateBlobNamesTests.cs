using BeneficialRL.Storage.GrainState;
using Orleans.Runtime;

namespace BeneficialRL.Storage.Tests.GrainState;

public sealed class GrainStateBlobNamesTests
{
    [Fact]
    public void For_KeyWithSlashes_EscapesItIntoOneSegment()
    {
        var name = GrainStateBlobNames.For("svc", GrainId.Create("experiment", "tenant/experiment/42"), "run");

        Assert.Equal("svc/experiment/tenant%2Fexperiment%2F42/run.json", name);
    }

    [Fact]
    public void For_KeyEndingWithDot_EscapesTheDot()
    {
        var name = GrainStateBlobNames.For("svc", GrainId.Create("probe", ".."), "state");

        Assert.Equal("svc/probe/.%2E/state.json", name);
    }

    [Fact]
    public void For_VeryLongKey_HashesTheKeyAndStaysWithinBlobNameLimit()
    {
        var longKey = new string('k', 2000);

        var name = GrainStateBlobNames.For("svc", GrainId.Create("probe", longKey), "state");

        Assert.True(name.Length <= 1024);
        Assert.StartsWith("svc/probe/sha256-", name, StringComparison.Ordinal);
        Assert.NotEqual(name, GrainStateBlobNames.For("svc", GrainId.Create("probe", longKey + "x"), "state"));
    }
}
