using BeneficialRL.Analysis.HeldOut;

namespace BeneficialRL.Analysis.Tests.HeldOut;

public sealed class HeldOutTraitAnalysisTests
{
    [Fact]
    public void Analyze_TwoTraits_ReportsArmScoresAndDeltasInPoints()
    {
        var treatment = Synthetic.Bernoulli("honesty", 200, 0.75, 1).Concat(Synthetic.Bernoulli("humility", 200, 0.5, 2)).ToList();
        var baseline = Synthetic.Bernoulli("honesty", 200, 0.55, 3).Concat(Synthetic.Bernoulli("humility", 200, 0.5, 4)).ToList();

        var traits = HeldOutTraitAnalysis.Analyze(treatment, baseline, new AnalysisOptions { BootstrapResamples = 1000 });

        Assert.Equal(["honesty", "humility"], traits.Select(t => t.Trait));
        var honesty = traits[0];
        var treatmentMean = treatment.Where(s => s.BenchmarkId == "honesty").Average(s => s.Score) * 100;
        var baselineMean = baseline.Where(s => s.BenchmarkId == "honesty").Average(s => s.Score) * 100;
        Assert.Equal(treatmentMean, honesty.TreatmentScorePoints.Estimate, 10);
        Assert.Equal(baselineMean, honesty.BaselineScorePoints.Estimate, 10);
        Assert.Equal(treatmentMean - baselineMean, honesty.Comparison.DeltaPoints.Estimate, 10);
        Assert.True(honesty.TreatmentScorePoints.Interval.Lower > honesty.BaselineScorePoints.Interval.Upper);
        Assert.True(honesty.Comparison.SignificantImprovement);
        Assert.False(traits[1].Comparison.SignificantImprovement || traits[1].Comparison.SignificantRegression);
    }
}
