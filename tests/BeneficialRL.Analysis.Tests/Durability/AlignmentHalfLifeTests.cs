using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.Durability;

namespace BeneficialRL.Analysis.Tests.Durability;

public sealed class AlignmentHalfLifeTests
{
    private static readonly double[] Ladder = [0, 10, 25, 50, 100];

    [Fact]
    public void FromCurve_FloorAtLastDose_InterpolatesBetweenRungs()
    {
        // Clean 1.0, floor 0.2: gap 0.8, half-way score 0.6, crossed between 25 (0.7) and 50 (0.5):
        // 25 + (0.7 - 0.6)/(0.7 - 0.5) * 25 = 37.5.
        Assert.Equal(37.5, AlignmentHalfLife.FromCurve(Ladder, [1.0, 0.9, 0.7, 0.5, 0.2]), 10);
    }

    [Fact]
    public void FromCurve_ExplicitFloor_ChangesTarget()
    {
        // Floor 0: half-way score 0.5, reached exactly at dose 50.
        Assert.Equal(50, AlignmentHalfLife.FromCurve(Ladder, [1.0, 0.9, 0.7, 0.5, 0.2], floor: 0), 10);
        // Floor 0 on a curve that stops at 0.6: never half-way within the ladder.
        Assert.Equal(double.PositiveInfinity, AlignmentHalfLife.FromCurve(Ladder, [1.0, 0.9, 0.8, 0.7, 0.6], floor: 0));
    }

    [Fact]
    public void FromCurve_NoDegradation_IsInfinite()
    {
        Assert.Equal(double.PositiveInfinity, AlignmentHalfLife.FromCurve(Ladder, [0.5, 0.6, 0.6, 0.55, 0.7]));
    }

    [Fact]
    public void FromCurve_DecreasingDoses_Throws()
    {
        Assert.Throws<ArgumentException>(() => AlignmentHalfLife.FromCurve([0, 10, 5], [1, 0.5, 0.2]));
    }

    [Fact]
    public void Estimate_ItemsOnLadder_MatchesCurveOfMeansAndCiContainsIt()
    {
        // 100 items; item i's score at each dose is the curve {1.0,0.9,0.7,0.5,0.2} plus an item offset that averages to 0.
        double[] curve = [1.0, 0.9, 0.7, 0.5, 0.2];
        var random = new Random(1);
        var offsets = Enumerable.Range(0, 100).Select(_ => (random.NextDouble() - 0.5) * 0.2).ToArray();
        var mean = offsets.Average();
        var ladder = Ladder.Select((dose, k) => new DoseLevel(
            dose,
            offsets.Select((o, i) => new ItemScore("refuse-harm", $"i{i}", curve[k] + o - mean)).ToList())).ToList();

        var estimate = AlignmentHalfLife.Estimate(ladder, options: new AnalysisOptions { BootstrapResamples = 500 });

        Assert.Equal(37.5, estimate.HalfLife, 8);
        Assert.Equal(100, estimate.Items);
        Assert.Equal(1.0, estimate.CleanScore, 10);
        Assert.Equal(0.2, estimate.FloorScore, 10);
        Assert.Equal(Ladder, estimate.Curve.Select(p => p.Dose));
        Assert.True(estimate.Interval.Contains(37.5));
        Assert.True(estimate.Interval.Upper - estimate.Interval.Lower < 5);
        Assert.Equal(0, estimate.ShareBeyondLadder);
    }

    [Fact]
    public void Estimate_ItemMissingAtOneDose_IsLeftOut()
    {
        var ladder = new List<DoseLevel>
        {
            new(0, [new("b", "1", 1), new("b", "2", 1), new("b", "3", 1)]),
            new(10, [new("b", "1", 0), new("b", "2", 0)]),
        };

        var estimate = AlignmentHalfLife.Estimate(ladder, options: new AnalysisOptions { BootstrapResamples = 200 });

        // Clean 1, floor 0: half-way 0.5 is crossed at 0 + (1 - 0.5)/(1 - 0) * 10 = 5.
        Assert.Equal(2, estimate.Items);
        Assert.Equal(5, estimate.HalfLife, 10);
    }

    [Fact]
    public void Estimate_RepeatedDose_ThrowsNamingDose()
    {
        var ladder = new List<DoseLevel> { new(10, [new("b", "1", 1)]), new(10, [new("b", "1", 0)]) };

        var error = Assert.Throws<ArgumentException>(() => AlignmentHalfLife.Estimate(ladder));

        Assert.Contains("10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_TwoArms_DifferenceOfHalfLivesWithCi()
    {
        // Treatment curve {1.0,0.9,0.7,0.5,0.2}: 37.5 (see above). Baseline {1.0,0.7,0.5,0.3,0.2}: half-way 0.6 is crossed
        // between 10 (0.7) and 25 (0.5): 10 + (0.1/0.2)*15 = 17.5. Difference +20 steps.
        var comparison = AlignmentHalfLife.Compare(
            LadderFor([1.0, 0.9, 0.7, 0.5, 0.2], seed: 1),
            LadderFor([1.0, 0.7, 0.5, 0.3, 0.2], seed: 2),
            options: new AnalysisOptions { BootstrapResamples = 500 });

        Assert.Equal(37.5, comparison.Treatment.HalfLife, 8);
        Assert.Equal(17.5, comparison.Baseline.HalfLife, 8);
        Assert.Equal(20, comparison.DifferenceDose, 8);
        Assert.True(comparison.Interval.Contains(20));
        Assert.True(comparison.Interval.Lower > 0);
        Assert.Equal(0, comparison.ShareUndefined);
    }

    [Fact]
    public void Compare_NeitherArmDegrades_DifferenceIsUndefined()
    {
        var flat = LadderFor([0.8, 0.8, 0.8, 0.8, 0.8], seed: 3, spread: 0);

        var comparison = AlignmentHalfLife.Compare(flat, flat, options: new AnalysisOptions { BootstrapResamples = 200 });

        Assert.True(double.IsNaN(comparison.DifferenceDose));
        Assert.Equal(1, comparison.ShareUndefined);
        Assert.True(double.IsNaN(comparison.Interval.Lower));
    }

    private static List<DoseLevel> LadderFor(double[] curve, int seed, double spread = 0.2)
    {
        // 100 items whose scores are the curve plus a per-item offset with mean exactly 0.
        var random = new Random(seed);
        var offsets = Enumerable.Range(0, 100).Select(_ => (random.NextDouble() - 0.5) * spread).ToArray();
        var mean = offsets.Average();
        return Ladder.Select((dose, k) => new DoseLevel(
            dose,
            offsets.Select((o, i) => new ItemScore("refuse-harm", $"i{i}", curve[k] + o - mean)).ToList())).ToList();
    }
}
