using BeneficialRL.Storage.GrainState;
using Orleans.Runtime;

namespace BeneficialRL.Storage.Tests.GrainState;

public sealed class LegacyGrainStateBlobNamesTests
{
    [Fact]
    public void For_KeyWithSlashes_EscapesItIntoOneSegment()
    {
        var name = LegacyGrainStateBlobNames.For("svc", GrainId.Create("experiment", "tenant/experiment/42"), "run");

        Assert.Equal("svc/experiment/tenant%2Fexperiment%2F42/run.json", name);
    }

    [Fact]
    public void For_KeyEndingWithDot_EscapesTheDot()
    {
        var name = LegacyGrainStateBlobNames.For("svc", GrainId.Create("probe", ".."), "state");

        Assert.Equal("svc/probe/.%2E/state.json", name);
    }

    [Fact]
    public void For_VeryLongKey_HashesTheKeyAndStaysWithinBlobNameLimit()
    {
        var longKey = new string('k', 2000);

        var name = LegacyGrainStateBlobNames.For("svc", GrainId.Create("probe", longKey), "state");

        Assert.True(name.Length <= 1024);
        Assert.StartsWith("svc/probe/sha256-", name, StringComparison.Ordinal);
        Assert.NotEqual(name, LegacyGrainStateBlobNames.For("svc", GrainId.Create("probe", longKey + "x"), "state"));
    }

    [Theory]
    [InlineData("experiment", "tenant/experiment/42", "run")]
    [InlineData("probe", "..", "state")]
    [InlineData("apikey", "brl_3f%2F", "key")]
    public void TryParse_NameOfFor_GivesBackTheGrainAndState(string type, string key, string state)
    {
        var grainId = GrainId.Create(type, key);

        Assert.True(LegacyGrainStateBlobNames.TryParse(LegacyGrainStateBlobNames.For("svc-1", grainId, state), "svc-1", out var parsed, out var parsedState));

        Assert.Equal(grainId, parsed);
        Assert.Equal(state, parsedState);
    }

    [Theory]
    [InlineData("other/experiment/k/run.json")]
    [InlineData("svc-1/experiment/k/run.bin")]
    [InlineData("svc-1/experiment/run.json")]
    [InlineData("run-experiment/k.json")]
    public void TryParse_NotAnOldProvidersName_IsFalse(string name) =>
        Assert.False(LegacyGrainStateBlobNames.TryParse(name, "svc-1", out _, out _));

    [Fact]
    public void TryParse_HashedKey_IsFalseBecauseTheKeyCannotBeRecovered()
    {
        var name = LegacyGrainStateBlobNames.For("svc", GrainId.Create("probe", new string('k', 2000)), "state");

        Assert.False(LegacyGrainStateBlobNames.TryParse(name, "svc", out _, out _));
    }

    [Fact]
    public void CurrentName_IsTheOfficialProvidersStateDashGrainIdJson() =>
        Assert.Equal("run-experiment/lab/exp-1.json", LegacyGrainStateBlobNames.CurrentName(GrainId.Create("experiment", "lab/exp-1"), "run"));
}
