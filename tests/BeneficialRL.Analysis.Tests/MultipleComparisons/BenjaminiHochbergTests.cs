using BeneficialRL.Analysis.MultipleComparisons;

namespace BeneficialRL.Analysis.Tests.MultipleComparisons;

public sealed class BenjaminiHochbergTests
{
    // Benjamini & Hochberg (1995), section 4: 15 p-values from a clinical trial.
    private static readonly double[] PaperPValues =
        [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000];

    [Fact]
    public void Reject_PaperExampleAtFivePercent_RejectsFirstFour()
    {
        // k = 4: 0.0095 <= 4/15 * 0.05 = 0.01333; no larger k qualifies (k = 5: 0.0201 > 0.01667, ... k = 9: 0.0459 > 0.03).
        var rejected = BenjaminiHochberg.Reject(PaperPValues, 0.05);

        Assert.Equal([true, true, true, true, false, false, false, false, false, false, false, false, false, false, false], rejected);
    }

    [Fact]
    public void QValues_PaperExample_MatchHandComputedStepUpMinimum()
    {
        // q(i) = min over j >= i of 15 p(j)/j, e.g. q4 = 15*0.0095/4 = 0.035625; q5 = min(0.0603, 0.0695, 0.063857, 0.0645, 0.0765, ...) = 0.0603;
        // q6 = q7 = 15*0.0298/7 = 0.0638571; q10 = 15*0.324/10 = 0.486.
        double[] expected =
            [0.0015, 0.003, 0.0095, 0.035625, 0.0603, 15 * 0.0298 / 7, 15 * 0.0298 / 7, 0.0645, 0.0765, 0.486, 15 * 0.4262 / 11, 15 * 0.5719 / 12, 15 * 0.6528 / 13, 15 * 0.7590 / 14, 1.0];

        var q = BenjaminiHochberg.QValues(PaperPValues);

        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], q[i], 10);
        }
    }

    [Fact]
    public void QValues_ShuffledInput_KeepInputOrderAndAgreeWithReject()
    {
        var random = new Random(5);
        var order = Enumerable.Range(0, PaperPValues.Length).OrderBy(_ => random.Next()).ToArray();
        var shuffled = order.Select(i => PaperPValues[i]).ToArray();

        var q = BenjaminiHochberg.QValues(shuffled);
        var sortedQ = BenjaminiHochberg.QValues(PaperPValues);

        for (var k = 0; k < order.Length; k++)
        {
            Assert.Equal(sortedQ[order[k]], q[k], 12);
        }

        foreach (var alpha in new[] { 0.01, 0.05, 0.1, 0.5 })
        {
            Assert.Equal(q.Select(v => v <= alpha).ToArray(), BenjaminiHochberg.Reject(shuffled, alpha));
        }
    }

    [Fact]
    public void QValues_AreMonotoneInPAndAtLeastP()
    {
        var random = new Random(9);
        var p = Enumerable.Range(0, 200).Select(_ => Math.Pow(random.NextDouble(), 3)).ToArray();

        var q = BenjaminiHochberg.QValues(p);

        var byP = Enumerable.Range(0, p.Length).OrderBy(i => p[i]).ToArray();
        for (var k = 1; k < byP.Length; k++)
        {
            Assert.True(q[byP[k]] >= q[byP[k - 1]]);
        }

        Assert.All(Enumerable.Range(0, p.Length), i => Assert.InRange(q[i], p[i], 1.0));
    }

    [Fact]
    public void QValues_OutOfRangeP_ThrowsNamingIndex()
    {
        var error = Assert.Throws<ArgumentException>(() => BenjaminiHochberg.QValues([0.1, 1.2]));

        Assert.Contains("pValues[1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QValues_Empty_ReturnsEmpty()
    {
        Assert.Empty(BenjaminiHochberg.QValues([]));
    }
}
