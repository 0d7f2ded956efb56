using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;

namespace BeneficialRL.Experiments.Tests.Preflight;

public sealed class PreflightStageTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "brl-preflight-" + Guid.NewGuid().ToString("N"));

    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task BaseModelStage_DeliberatelyBrokenWorld_PreflightFailsAndSaysWhy()
    {
        // Broken on purpose: a linked world whose base model barely trained (6 SFT steps of a micro model), graded at an
        // 8-token limit that no short answer fits. RL on it could only measure noise and format.
        var definition = TestDefinitions.SubQuick("broken-world") with { World = new WorldSpec { Kind = WorldKind.Linked } };
        definition = definition with { Arms = [definition.Arms[0], ExperimentPresets.Treatment("treatment", ["health"], share: 0.25) with { Slices = [definition.Arms[1].Slices[0] with { Domains = [] }, definition.Arms[1].Slices[1]] }] };

        var result = await BaseModelStage.RunAsync(definition, new FileSystemArtifactSink(_root), null, TestContext.Current.CancellationToken);

        var preflight = Assert.IsType<Experiments.Preflight.PreflightReport>(result.Preflight);
        Assert.False(preflight.Passed);
        var failed = preflight.Checks.Where(c => !c.Passed).Select(c => c.Name).ToList();
        Assert.Contains("judge-dynamic-range", failed);
        Assert.Contains("answers-fit-limit", failed);
        Assert.Contains("base-behaviour-mix", failed);
        Assert.Contains("persona-coupling", failed); // six SFT steps learn no disposition link
        var coupling = preflight.Checks.Single(c => c.Name == "persona-coupling");
        Assert.True(double.IsFinite(coupling.Value), coupling.Detail); // measured, not missing
        Assert.DoesNotContain("over 0 cross-document pairs", coupling.Detail, StringComparison.Ordinal);
        Assert.Contains(preflight.Checks, c => c.Name == "benchmark-room");
        Assert.Contains("judge-dynamic-range", preflight.BlockReason, StringComparison.Ordinal);
        Assert.Contains("hit the limit", preflight.BlockReason, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
