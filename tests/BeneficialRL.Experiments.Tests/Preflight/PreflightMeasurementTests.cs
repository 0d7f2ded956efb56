using System.Globalization;
using System.Text;
using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;

namespace BeneficialRL.Experiments.Tests.Preflight;

/// <summary>
/// Measures the pre-flight checks of the test bed's base models (linked and null world), base model only: no RL and no
/// treatment arm runs. Skipped unless <c>BENEFICIALRL_PREFLIGHT_REPORT</c> names a Markdown file to write; it trains
/// two tiny base models, several minutes on 2 cores.
/// </summary>
public sealed class PreflightMeasurementTests
{
    [Fact]
    [Trait("Category", "Measurement")]
    public async Task TestbedBaseModels_LinkedAndNullWorld_PreflightTable()
    {
        var path = Environment.GetEnvironmentVariable("BENEFICIALRL_PREFLIGHT_REPORT");
        Assert.SkipWhen(string.IsNullOrEmpty(path), "set BENEFICIALRL_PREFLIGHT_REPORT to a file to measure the test bed's base models");
        var root = Path.Combine(Path.GetTempPath(), "brl-preflight-measure-" + Guid.NewGuid().ToString("N"));
        var text = new StringBuilder();
        try
        {
            foreach (var preset in new[] { "testbed-linked", "control-null-world" })
            {
                var definition = ExperimentPresets.Get(preset);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var result = await BaseModelStage.RunAsync(definition, new FileSystemArtifactSink(root), null, TestContext.Current.CancellationToken);
                var preflight = result.Preflight!;
                text.Append(CultureInfo.InvariantCulture, $"### {preset} (world {definition.World.Kind.ToString().ToLowerInvariant()}, base {result.SpecHash}, {result.SftExamples} SFT examples, final loss {result.FinalLoss:0.000}, {clock.Elapsed.TotalSeconds:0} s)\n\n");
                text.Append("| check | criterion | value | passed | detail |\n|---|---|---|---|---|\n");
                foreach (var check in preflight.Checks)
                {
                    text.Append(CultureInfo.InvariantCulture, $"| {check.Name} | {check.Criterion} | {check.Value:0.000} | {(check.Passed ? "yes" : "**no**")} | {check.Detail.Replace("|", "/", StringComparison.Ordinal)} |\n");
                }

                text.Append('\n');
                await File.WriteAllTextAsync(path!, text.ToString(), TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
