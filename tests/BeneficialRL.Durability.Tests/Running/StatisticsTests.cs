using BeneficialRL.Analysis;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.Durability;
using BeneficialRL.Durability.Adversarial;
using BeneficialRL.Durability.FineTuning;
using BeneficialRL.Durability.Running;

namespace BeneficialRL.Durability.Tests.Running;

public sealed class StatisticsTests
{
    private const string Harmful = "harmful-compliance-hurting-others-mc";
    private const string Sycophancy = "sycophancy-mistaken-belief-mc";

    [Fact]
    public void Summarise_KnownLadder_HalfLifeAndDeltaMatchHandComputation()
    {
        // In-domain: harmful-compliance items lose 0.3 each by dose 20, sycophancy items 0.1 each; out-of-domain lose nothing.
        double[] baseScores = [0.9, 0.8, 0.7, 0.6];
        var rungs = new[] { 0, 10, 20 }.Select(dose => Rung(dose, baseScores)).ToList();

        var result = PersistenceRunner.Summarise("s", "health", rungs, TestWorld.Catalogue, new AnalysisOptions { BootstrapResamples = 500 }, null, 0);

        // Mean per dose: clean 0.75; dose 10: 0.75 − (0.15 + 0.05)/2 = 0.65; dose 20: 0.75 − 0.2 = 0.55. Floor = 0.55, half-way = 0.65 → dose 10.
        Assert.Equal(0.75, result.InDomainHalfLife!.CleanScore, 10);
        Assert.Equal(0.55, result.InDomainHalfLife.FloorScore, 10);
        Assert.Equal(10, result.InDomainHalfLife.HalfLife, 8);
        Assert.True(double.IsPositiveInfinity(result.OutOfDomainHalfLife!.HalfLife));
        Assert.Equal(65, result.Rungs[1].InDomainMeanPoints, 8);

        var harmful = result.DeltaTable.Single(d => d.Scope == DeltaRow.InDomain && d.Group == "harmful-compliance");
        var sycophancy = result.DeltaTable.Single(d => d.Scope == DeltaRow.InDomain && d.Group == "sycophancy");
        Assert.Equal(30, harmful.Delta.DegradationPoints.Estimate, 8);
        // Every item lost exactly the same, so every bootstrap resample gives the same mean: the CI is a point.
        Assert.Equal(30, harmful.Delta.DegradationPoints.Interval.Lower, 8);
        Assert.Equal(30, harmful.Delta.DegradationPoints.Interval.Upper, 8);
        Assert.Equal(10, sycophancy.Delta.DegradationPoints.Estimate, 8);
        Assert.Equal(75, harmful.Delta.CleanMeanPoints, 8);
        Assert.Equal(45, harmful.Delta.AttackedMeanPoints, 8);
        Assert.All(result.DeltaTable.Where(d => d.Scope == DeltaRow.OutOfDomain), d => Assert.Equal(0, d.Delta.DegradationPoints.Estimate, 10));
    }

    [Fact]
    public void PairedDegradation_ManyItems_IntervalMatchesNormalApproximation()
    {
        var random = new Random(42);
        var clean = Enumerable.Range(0, 400).Select(i => new ItemScore("b", $"i{i}", random.NextDouble())).ToList();
        var attacked = clean.Select(c => c with { Score = Math.Clamp(c.Score - 0.1 + ((random.NextDouble() - 0.5) * 0.4), 0, 1) }).ToList();
        var differences = clean.Zip(attacked, (c, a) => c.Score - a.Score).ToArray();
        var mean = differences.Average();
        var sd = Math.Sqrt(differences.Sum(d => (d - mean) * (d - mean)) / (differences.Length - 1));
        var half = 1.959964 * sd / Math.Sqrt(differences.Length);

        var result = PairedDegradation.Of(new PersistenceArm(clean, attacked), "normal", new AnalysisOptions { BootstrapResamples = 4000 });

        Assert.Equal(mean * 100, result.DegradationPoints.Estimate, 8);
        Assert.Equal(400, result.Items);
        // Percentile bootstrap of a mean over 400 items is close to the normal interval (within 10% of its half-width).
        Assert.InRange(result.DegradationPoints.Interval.Lower, (mean - half - (0.1 * half)) * 100, (mean - half + (0.1 * half)) * 100);
        Assert.InRange(result.DegradationPoints.Interval.Upper, (mean + half - (0.1 * half)) * 100, (mean + half + (0.1 * half)) * 100);
    }

    private static DoseRung<DoseEvaluation> Rung(int dose, double[] baseScores)
    {
        var lossHarmful = 0.3 * dose / 20.0;
        var lossSycophancy = 0.1 * dose / 20.0;
        var inDomain = baseScores.Select((s, i) => new ItemScore(Harmful, $"h{i}", s - lossHarmful))
            .Concat(baseScores.Select((s, i) => new ItemScore(Sycophancy, $"s{i}", s - lossSycophancy))).ToList();
        var outOfDomain = baseScores.Select((s, i) => new ItemScore(Harmful, $"o{i}", s)).ToList();
        var lineage = new CheckpointLineage("s", "health", dose, "p", "c", "r", "k", 1e-3);
        return new DoseRung<DoseEvaluation>(lineage, double.NaN, new DoseEvaluation(inDomain, outOfDomain, 0));
    }
}
