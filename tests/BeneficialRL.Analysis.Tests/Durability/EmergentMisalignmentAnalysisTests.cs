using BeneficialRL.Analysis.Descriptive;
using BeneficialRL.Analysis.Durability;
using BeneficialRL.Analysis.Items;

namespace BeneficialRL.Analysis.Tests.Durability;

public sealed class EmergentMisalignmentAnalysisTests
{
    [Fact]
    public void Analyze_ThreeSeedsTwoBenchmarks_EqualsAHandComputation()
    {
        // Two benchmarks (2 and 3 items); before is the same checkpoint for every seed, after differs per fine-tune.
        double[] beforeA = [0.60, 0.40], beforeB = [0.50, 0.70, 0.30];
        double[][] afterA = [[0.50, 0.30], [0.55, 0.40], [0.40, 0.30]];
        double[][] afterB = [[0.50, 0.60, 0.20], [0.45, 0.70, 0.25], [0.40, 0.50, 0.30]];
        var replicates = Enumerable.Range(0, 3).Select(s => new EmergentMisalignmentReplicate(
            s,
            [.. Items("a", beforeA), .. Items("b", beforeB)],
            [.. Items("a", afterA[s]), .. Items("b", afterB[s])])).ToList();

        var estimate = EmergentMisalignmentAnalysis.Analyze(replicates, EmergentMisalignmentExpectation.Degradation);

        // By hand, in points: seed 0: a = (−10 −10)/2 = −10, b = (0 −10 −10)/3 = −6.667, d₀ = −8.333;
        // seed 1: a = (−5 + 0)/2 = −2.5, b = (−5 + 0 − 5)/3 = −3.333, d₁ = −2.917;
        // seed 2: a = (−20 −10)/2 = −15, b = (−10 −20 + 0)/3 = −10, d₂ = −12.5.
        double[] d = [(-10 + (-20.0 / 3)) / 2, (-2.5 + (-10.0 / 3)) / 2, (-15 + -10.0) / 2];
        var mean = d.Average();
        var sd = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / 2);
        const double t975With2Df = 4.302652729911275;
        var half = t975With2Df * sd / Math.Sqrt(3);
        Assert.Equal(3, estimate.Endpoint.SeedPairs);
        Assert.Equal(d, estimate.Endpoint.PerSeedPair.Select(p => p.MeanDifferencePoints), (x, y) => Math.Abs(x - y) < 1e-9);
        Assert.Equal(mean, estimate.Endpoint.EstimatePoints, 9);
        var interval = Assert.IsType<ConfidenceInterval>(estimate.Endpoint.SeedLevelInterval);
        Assert.Equal(mean - half, interval.Lower, 6);
        Assert.Equal(mean + half, interval.Upper, 6);
        // mean −7.92, half-width 4.30 · 4.80 / √3 ≈ 11.9: the interval reaches above 0, so the linked criterion fails.
        Assert.True(interval.Upper > 0);
        Assert.False(estimate.Passed);
        Assert.Equal(["a", "b"], estimate.Benchmarks.Select(b => b.Name));
    }

    [Fact]
    public void Verdict_SimulatedLinkedWorld_FindsTheDegradation()
    {
        // Five fine-tunes that each lower every non-health item by about 6 points, with a run effect of 1 point.
        var estimate = EmergentMisalignmentAnalysis.Analyze(Simulated(seeds: 5, shiftPoints: -6, seed: 3), EmergentMisalignmentExpectation.Degradation);

        Assert.True(estimate.Endpoint.SeedLevelInterval!.Upper < 0);
        Assert.True(estimate.Passed);
        Assert.StartsWith("pass", estimate.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void Verdict_SimulatedNullWorld_FindsNoShift()
    {
        var estimate = EmergentMisalignmentAnalysis.Analyze(Simulated(seeds: 5, shiftPoints: 0, seed: 4), EmergentMisalignmentExpectation.NoDegradation);

        Assert.True(estimate.Endpoint.SeedLevelInterval!.Contains(0));
        Assert.True(estimate.Passed);
    }

    [Fact]
    public void Verdict_DegradationInTheNullWorld_Fails()
    {
        var estimate = EmergentMisalignmentAnalysis.Analyze(Simulated(seeds: 5, shiftPoints: -6, seed: 5), EmergentMisalignmentExpectation.NoDegradation);

        Assert.False(estimate.Passed);
        Assert.Contains("below 0", estimate.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void Verdict_NoDegradationInTheLinkedWorld_Fails()
    {
        var estimate = EmergentMisalignmentAnalysis.Analyze(Simulated(seeds: 5, shiftPoints: 0, seed: 6), EmergentMisalignmentExpectation.Degradation);

        Assert.False(estimate.Passed);
    }

    [Fact]
    public void Verdict_OneSeed_GivesNoVerdict()
    {
        var estimate = EmergentMisalignmentAnalysis.Analyze(Simulated(seeds: 1, shiftPoints: -20, seed: 7), EmergentMisalignmentExpectation.Degradation);

        Assert.Null(estimate.Endpoint.SeedLevelInterval);
        Assert.Null(estimate.Passed);
        Assert.StartsWith("no verdict", estimate.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_RepeatedReplicateIndex_Throws()
    {
        var one = Simulated(seeds: 1, shiftPoints: 0, seed: 8)[0];

        Assert.Throws<ArgumentException>(() => EmergentMisalignmentAnalysis.Analyze([one, one], EmergentMisalignmentExpectation.Degradation));
    }

    private static IEnumerable<ItemScore> Items(string benchmark, double[] scores) =>
        scores.Select((score, i) => new ItemScore(benchmark, $"{benchmark}-{i}", score));

    // Six benchmarks × 12 items; after = before + shift + run effect (SD 1 point) + item noise (SD 3 points).
    private static List<EmergentMisalignmentReplicate> Simulated(int seeds, double shiftPoints, int seed)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var before = Enumerable.Range(0, 6).SelectMany(b => Enumerable.Range(0, 12).Select(i => new ItemScore($"bench-{b}", $"item-{i}", 0.3 + (0.4 * random.NextDouble())))).ToList();
        return
        [
            .. Enumerable.Range(0, seeds).Select(s =>
            {
                var run = Normal() * 0.01;
                return new EmergentMisalignmentReplicate(s, before, [.. before.Select(x => x with { Score = x.Score + (shiftPoints / 100) + run + (Normal() * 0.03) })]);
            }),
        ];
    }
}
