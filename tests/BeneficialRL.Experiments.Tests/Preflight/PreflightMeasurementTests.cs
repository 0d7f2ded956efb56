using System.Globalization;
using System.Text;
using System.Text.Json;
using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Preflight;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Scenarios.Grading;

namespace BeneficialRL.Experiments.Tests.Preflight;

/// <summary>
/// Measures the pre-flight checks of the test bed's base models (linked and null world), base model only: no RL and no
/// treatment arm runs. Skipped unless <c>BENEFICIALRL_PREFLIGHT_REPORT</c> names a Markdown file to write; it trains
/// two tiny base models, several minutes on 2 cores.
/// </summary>
/// <remarks>
/// Optional: <c>BENEFICIALRL_PREFLIGHT_PRESETS</c> (comma-separated presets instead of the two),
/// <c>BENEFICIALRL_PREFLIGHT_STARTING_MODEL</c> (a starting-model JSON, as the REST API takes it, for every preset: a
/// candidate base), and <c>BENEFICIALRL_PREFLIGHT_SAMPLES</c> (a folder: the behaviour-mix check's samples, generated
/// again from the base checkpoint with the same prompts, settings and seed, are written there for reading by hand,
/// <c>{preset}-samples.jsonl</c> without the judge's scores and <c>{preset}-scores.jsonl</c> with them, so that labels can
/// be written before the scores are looked at).
/// </remarks>
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
            var presets = Environment.GetEnvironmentVariable("BENEFICIALRL_PREFLIGHT_PRESETS") is { Length: > 0 } list
                ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : ["testbed-linked", "control-null-world"];
            var startingModel = Environment.GetEnvironmentVariable("BENEFICIALRL_PREFLIGHT_STARTING_MODEL") is { Length: > 0 } json
                ? JsonSerializer.Deserialize<StartingModelSpec>(json, ExperimentJson.Options)
                : null;
            var samples = Environment.GetEnvironmentVariable("BENEFICIALRL_PREFLIGHT_SAMPLES");
            foreach (var preset in presets)
            {
                var definition = ExperimentPresets.Get(preset);
                if (startingModel is not null)
                {
                    definition = definition with { StartingModel = startingModel };
                }

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
                if (!string.IsNullOrEmpty(samples))
                {
                    await WriteSamplesAsync(definition, result, new FileSystemArtifactSink(root), Path.Combine(samples, preset));
                }
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

    private static async Task WriteSamplesAsync(ExperimentDefinition definition, BaseModelResult result, FileSystemArtifactSink sink, string prefix)
    {
        using var checkpoint = await BaseModelStage.LoadAsync(result, sink, TestContext.Current.CancellationToken);
        var prompts = PreflightStage.TraitPromptsFor(definition);
        var generated = PreflightStage.SampleTraitPrompts(definition, checkpoint, prompts);
        var judge = new BuiltInJudge();
        var blind = new StringBuilder();
        var scores = new StringBuilder();
        for (var i = 0; i < generated.Count; i++)
        {
            var scenario = prompts[i / PreflightStage.SamplesPerPrompt].Scenario!;
            var grade = judge.Grade(GradingRequest.ForScenario(scenario, generated[i].Text));
            blind.AppendLine(JsonSerializer.Serialize(new
            {
                n = i + 1,
                prompt = (i / PreflightStage.SamplesPerPrompt) + 1,
                sample = (i % PreflightStage.SamplesPerPrompt) + 1,
                scenarioId = scenario.Id,
                trait = scenario.Trait,
                user = string.Join("\n\n", scenario.Turns.Select(t => t.Content)),
                completion = generated[i].Text,
                finish = generated[i].FinishReason.ToString(),
            }));
            scores.AppendLine(JsonSerializer.Serialize(new
            {
                n = i + 1,
                score = grade.Score,
                passed = grade.Criteria.Where(c => c.Passed).Select(c => c.Id),
                failed = grade.Criteria.Where(c => !c.Passed).Select(c => c.Id),
            }));
        }

        await File.WriteAllTextAsync(prefix + "-samples.jsonl", blind.ToString(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(prefix + "-scores.jsonl", scores.ToString(), TestContext.Current.CancellationToken);
    }
}
