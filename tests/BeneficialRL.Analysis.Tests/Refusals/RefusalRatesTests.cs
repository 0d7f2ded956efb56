using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.Refusals;

namespace BeneficialRL.Analysis.Tests.Refusals;

public sealed class RefusalRatesTests
{
    [Fact]
    public void Of_MixedLabels_CountsClassifiedAnswersPerSeed()
    {
        ItemScore[] scores =
        [
            new("g", "i1", 0, Refused: true, Replicate: 0),
            new("g", "i2", 1, Refused: false, Replicate: 0),
            new("g", "i1", 0, Refused: true, Replicate: 1),
            new("g", "i2", 0, Refused: true, Replicate: 1),
            new("mc", "i1", 1, Refused: null, Replicate: 1),
        ];

        var rate = RefusalRates.Of("treatment", scores);

        Assert.Equal(4, rate.Classified);
        Assert.Equal(3, rate.Refused);
        Assert.Equal(0.75, rate.Rate, 12);
        Assert.Equal([0, 1], rate.PerSeed.Select(s => s.Replicate));
        Assert.Equal([0.5, 1.0], rate.PerSeed.Select(s => s.Rate));
    }

    [Fact]
    public void Of_NothingClassified_RateIsNaN()
    {
        var rate = RefusalRates.Of("baseline", [new ItemScore("mc", "i1", 1)]);

        Assert.Equal(0, rate.Classified);
        Assert.True(double.IsNaN(rate.Rate));
        Assert.Empty(rate.PerSeed);
    }
}
