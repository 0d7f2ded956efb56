using BeneficialRL.Scenarios.Generation;
using BeneficialRL.Scenarios.Grading;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Scenarios.Tests.Grading;

public sealed class JudgeAgreementTests
{
    private static readonly ScenarioGenerator Generator = new();

    public static TheoryData<string> Splits => new("train", "held-out");

    [Theory]
    [MemberData(nameof(Splits))]
    public void BuiltInJudge_GradeReferenceResponses_AgreesWithLabelsOnAtLeast95PercentOfCriteria(string split)
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
        Assert.True(agreement >= 0.95, $"agreement {agreement:P2} over {total} criteria:\n" + string.Join("\n", disagreements));
    }
}
