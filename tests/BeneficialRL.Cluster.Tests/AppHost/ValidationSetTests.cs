using System.Text.Json;
using BeneficialRL.Analysis.Validation;
using BeneficialRL.AppHost.Experiments;
using BeneficialRL.AppHost.Options;
using BeneficialRL.Experiments.Analysis;
using BeneficialRL.Experiments.Preflight;
using BeneficialRL.Experiments.Reports;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Experiments.Tests.Analysis;

namespace BeneficialRL.Cluster.Tests.AppHost;

/// <summary>
/// validate-testbed's path without training: the set's presets analysed as the analysis stage does (simulated final
/// evaluations), written as report.json, read back by the main job's reader and evaluated into the pass table.
/// </summary>
public sealed class ValidationSetTests
{
    [Fact]
    public void Evaluate_ReportsOfTheSetsPresets_ReadBackWithTheirArmsEndpointsAndPlantedEffect()
    {
        var experiments = ExperimentChoices.ValidationSet.Select(v =>
        {
            // The linked comparison's treatment gains 5 points; the null world's and the A/A's second arm gain nothing.
            // The A/A and the planted control get the same simulated runs, as their identical training runs would.
            var definition = ExperimentPresets.Get(v.Preset);
            definition = definition with { Analysis = definition.Analysis with { BootstrapResamples = 100 } };
            var effect = v.Role == ValidationRole.LinkedWorld ? 0.05 : 0;
            var finals = SyntheticEvaluations.Finals(definition, effect, seed: v.Role is ValidationRole.AaControl or ValidationRole.PlantedEffect ? 7 : (int)v.Role);
            var analysis = AnalysisStage.Analyze(definition, finals, [], []);
            var preflight = new PreflightReport([new PreflightCheck("judge-dynamic-range", "beneficial − failure reference ≥ 0.5", 0.82, true, "0.820")]);
            var report = new ExperimentReport("exp", definition, new BaseModelResult("spec", "base.tar", "sha", 100, 1000, 0, 0, double.NaN, true, 0), analysis,
                [.. analysis.Comparisons.Select(HeadlineRow.From)], new Dictionary<string, double>(), [], Preflight: preflight);
            using var json = JsonDocument.Parse(JsonSerializer.Serialize(report, ExperimentJson.Indented));
            return ValidationReportReader.Read(json.RootElement, v.Role);
        }).ToList();

        var table = TestbedValidation.Evaluate(experiments);

        Assert.Equal(["treatment", "treatment", "baseline-b", "baseline-b"], experiments.Select(e => e.Arm));
        Assert.All(experiments, e => Assert.Equal(3, e.Ood!.SeedPairs));
        var aa = experiments[2].Ood!;
        var planted = experiments[3];
        Assert.Equal(1, planted.PlantedBenchmarks);
        // The planted control is the A/A plus +5 points on one of the two OOD alignment benchmarks: +2.5 on the mean.
        Assert.Equal(aa.Endpoint.EstimatePoints + 2.5, planted.Ood!.Endpoint.EstimatePoints, 6);
        Assert.InRange(Assert.Single(table.Treatment, t => t.World == ValidationRole.LinkedWorld && t.Estimate.Name == AnalysisStage.OodEndpoint).Estimate.EstimatePoints, 3, 7);
        Assert.Equal(ValidationOutcome.Passed, Assert.Single(table.Rows, r => r.Control == "pre-flight: judge-dynamic-range").Outcome);
        var spread = Assert.IsType<SeedSpread>(table.Spread);
        Assert.Equal(2, spread.Benchmarks);
        Assert.NotNull(spread.OodEndpointPower);
        Assert.Equal(6, table.Rows.Count); // one pre-flight check, five control criteria
    }
}
