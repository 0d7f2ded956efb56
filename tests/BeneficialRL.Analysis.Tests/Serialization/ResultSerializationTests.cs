using System.Text.Json;
using System.Text.Json.Serialization;
using BeneficialRL.Analysis.Headline;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.Durability;
using BeneficialRL.Analysis.Transfer;

namespace BeneficialRL.Analysis.Tests.Serialization;

/// <summary>The report is written as JSON: results must round-trip through System.Text.Json.</summary>
public sealed class ResultSerializationTests
{
    // Half-lives and degenerate t statistics can be infinite, so the report needs named floating-point literals.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    [Fact]
    public void HeadlineReport_RoundTripsThroughJson()
    {
        var report = HeadlineAnalysis.Analyze(Synthetic.Bernoulli("b", 50, 0.6, 1), Synthetic.Bernoulli("b", 50, 0.4, 2), new AnalysisOptions { BootstrapResamples = 200 });

        var copy = JsonSerializer.Deserialize<HeadlineReport>(JsonSerializer.Serialize(report, Json), Json)!;

        Assert.Equal(report.Benchmarks[0], copy.Benchmarks[0]);
        Assert.Equal(report.MeanGainPoints, copy.MeanGainPoints);
    }

    [Fact]
    public void TransferMatrixAndHalfLife_SerializeWithInfinities()
    {
        ItemScore[] items = [new("h", "1", 1, Domain: "health"), new("h", "2", 0, Domain: "health")];
        var matrix = TransferMatrixBuilder.Build([new("c", items)], items, new AnalysisOptions { BootstrapResamples = 200 });
        var never = AlignmentHalfLife.Estimate([new DoseLevel(0, items), new DoseLevel(10, items)], floor: 0, new AnalysisOptions { BootstrapResamples = 200 });

        var matrixJson = JsonSerializer.Serialize(matrix, Json);
        var halfLifeJson = JsonSerializer.Serialize(never, Json);

        Assert.Contains("\"evaluationDomains\":[\"health\"]", matrixJson, StringComparison.Ordinal);
        Assert.Contains("\"halfLife\":\"Infinity\"", halfLifeJson, StringComparison.Ordinal);
        Assert.Equal(double.PositiveInfinity, JsonSerializer.Deserialize<HalfLifeEstimate>(halfLifeJson, Json)!.HalfLife);
    }
}
