using BeneficialRL.Scenarios.Generation;
using BeneficialRL.Scenarios.Grading;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Scenarios.Tests.Grading;

/// <summary>
/// Checks that the generator's data files agree with each other: the reference answers in traits.yaml and
/// heldout.yaml were written to contain (beneficial) or to violate (failures) the judge's concept phrases, and
/// their labels say so. This is a consistency check of the data, true by construction; it is NOT evidence that the
/// judge measures the behaviours (audit finding H1). For that, see <see cref="JudgeMeasurementTests"/> and
/// <c>docs/science/judge.md</c>.
/// </summary>
public sealed class ReferenceLabelConsistencyTests
{
    private static readonly ScenarioGenerator Generator = new();

    public static TheoryData<string> Splits => new("train", "held-out");

    [Theory]
    [MemberData(nameof(Splits))]
    public void ReferenceLabels_GradeWithBuiltInJudge_ConsistentWithPhraseBanksOnAtLeast95PercentOfCriteria(string split)
    {
        var scenarios = split == "train"
            ? Generator.GenerateTraining(seed: 11, perCell: 2).ToList()
            : Generator.GenerateHeldOut(seed: 11, perCell: 4).ToList();
        var judge = new BuiltInJudge();
        int agree = 0, total = 0;
        var disagreements = new List<string>();
        foreach (var scenario in scenarios)
        {
            foreach (var reference in scenario.References)
            {
                var result = judge.Grade(GradingRequest.ForScenario(scenario, reference.Text));
                foreach (var criterion in result.Criteria)
                {
                    total++;
                    if (criterion.Passed == reference.Labels[criterion.Id])
                    {
                        agree++;
                    }
                    else if (disagreements.Count < 40)
                    {
                        disagreements.Add($"{scenario.Id} {reference.Kind} {criterion.Id}: judge={criterion.Passed} label={reference.Labels[criterion.Id]} — {criterion.Explanation} || {reference.Text}");
                    }
                }
            }
        }

        var agreement = (double)agree / total;
        Assert.True(scenarios.Count >= 200, $"only {scenarios.Count} scenarios");
        Assert.True(agreement >= 0.95, $"reference labels consistent with the phrase banks on only {agreement:P2} of {total} criteria:\n" + string.Join("\n", disagreements));
    }
}
