using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.Transfer;

namespace BeneficialRL.Analysis.Tests.Transfer;

public sealed class TransferMatrixBuilderTests
{
    private static readonly AnalysisOptions Options = new() { BootstrapResamples = 500 };

    [Fact]
    public void Build_HandExample_CellIsDomainMeanDeltaInPoints()
    {
        // health-only, health items {0.9, 0.7} (mean 0.8) vs baseline {0.5, 0.3} (mean 0.4): +40 points.
        // health-only, science items {0.5, 0.3} (mean 0.4) vs baseline {0.4, 0.4}: 0 points.
        ItemScore[] healthOnly = [new("h1", "1", 0.9, Domain: "health"), new("h1", "2", 0.7, Domain: "health"), new("s1", "1", 0.5, Domain: "science"), new("s1", "2", 0.3, Domain: "science"), new("x", "1", 1.0)];
        ItemScore[] multi = [new("h1", "1", 0.6, Domain: "health"), new("h1", "2", 0.6, Domain: "health"), new("s1", "1", 0.7, Domain: "science"), new("s2", "1", 0.5, Domain: "science")];
        ItemScore[] baseline = [new("h1", "1", 0.5, Domain: "health"), new("h1", "2", 0.3, Domain: "health"), new("s1", "1", 0.4, Domain: "science"), new("s1", "2", 0.4, Domain: "science")];

        var matrix = TransferMatrixBuilder.Build(
            [new("multi-domain", multi), new("health-only", healthOnly)],
            baseline,
            Options);

        Assert.Equal(["multi-domain", "health-only"], matrix.TrainingConditions);
        Assert.Equal(["health", "science"], matrix.EvaluationDomains);
        Assert.Equal(1, matrix.UntaggedItems);
        Assert.Equal(40, matrix["health-only", "health"].DeltaPoints!.Estimate, 10);
        Assert.Equal(0, matrix["health-only", "science"].DeltaPoints!.Estimate, 10);
        Assert.Equal(20, matrix["multi-domain", "health"].DeltaPoints!.Estimate, 10);
        Assert.Equal(20, matrix["multi-domain", "science"].DeltaPoints!.Estimate, 10);
        Assert.Same(matrix.Cells[1][0], matrix["health-only", "health"]);
        Assert.All(matrix.Cells.SelectMany(r => r), c => Assert.NotNull(c.QValue));
    }

    [Fact]
    public void Build_PlantedTransfer_OnlyTrainedDomainImproves()
    {
        var healthOnly = Synthetic.Bernoulli("h", 300, 0.8, 1, "health").Concat(Synthetic.Bernoulli("l", 300, 0.5, 2, "law"));
        var baseline = Synthetic.Bernoulli("h", 300, 0.5, 3, "health").Concat(Synthetic.Bernoulli("l", 300, 0.5, 4, "law"));

        var matrix = TransferMatrixBuilder.Build([new("health-only", healthOnly)], baseline, Options);

        var health = matrix["health-only", "health"];
        var law = matrix["health-only", "law"];
        Assert.True(health.DeltaPoints!.Interval.Lower > 15);
        Assert.True(health.QValue < 0.05);
        Assert.True(law.DeltaPoints!.Interval.Contains(0));
    }

    [Fact]
    public void Build_DomainMissingForCondition_LeavesCellUntested()
    {
        ItemScore[] condition = [new("h", "1", 1, Domain: "health"), new("h", "2", 0, Domain: "health")];
        ItemScore[] baseline = [new("h", "1", 0, Domain: "health"), new("h", "2", 0, Domain: "health"), new("l", "1", 1, Domain: "law"), new("l", "2", 0, Domain: "law")];

        var matrix = TransferMatrixBuilder.Build([new("c", condition)], baseline, Options);

        var cell = matrix["c", "law"];
        Assert.Equal((0, 2), (cell.ConditionItems, cell.BaselineItems));
        Assert.Null(cell.DeltaPoints);
        Assert.Throws<KeyNotFoundException>(() => matrix["c", "finance"]);
    }

    [Fact]
    public void Build_DuplicateCondition_Throws()
    {
        ItemScore[] items = [new("h", "1", 1, Domain: "health")];

        Assert.Throws<ArgumentException>(() => TransferMatrixBuilder.Build([new("c", items), new("c", items)], items, Options));
    }
}
