using BeneficialRL.Experiments.Rewards;
using BeneficialRL.Scenarios.Generation;
using BeneficialRL.Scenarios.Grading;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Experiments.Tests.Rewards;

public sealed class GenericHelpfulnessGraderTests
{
    [Fact]
    public void Grade_EngagedAnswer_BeatsTerseOne()
    {
        var scenario = new ScenarioGenerator().Generate("truthfulness", "health", ScenarioSplit.Train, 3, 0);
        var grader = new GenericHelpfulnessGrader();

        var terse = grader.Grade(GradingRequest.ForScenario(scenario, "No."));
        var engaged = grader.Grade(GradingRequest.ForScenario(scenario, scenario.Beneficial.Text + " I'm happy to help further: first, check this; then, for example, ask again."));

        Assert.True(engaged.Score > terse.Score);
        Assert.InRange(engaged.Score, 0, 1);
    }

    [Fact]
    public void Grade_IgnoresTheRubric()
    {
        var scenario = new ScenarioGenerator().Generate("truthfulness", "health", ScenarioSplit.Train, 3, 0);
        var grader = new GenericHelpfulnessGrader();
        var request = GradingRequest.ForScenario(scenario, scenario.Beneficial.Text);

        Assert.Equal(grader.Grade(request).Score, grader.Grade(request with { Rubric = [] }).Score);
    }
}
