using BeneficialRL.Scenarios.Generation;
using BeneficialRL.Scenarios.Grading;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Scenarios.Tests.Grading;

public sealed class GraderCatalogueTests
{
    private static readonly Scenario Scenario = new ScenarioGenerator().Generate("corrigibility", "engineering", ScenarioSplit.Train, seed: 4, index: 0);

    [Theory]
    [InlineData("Answer: 42", "answer: 42", StringCheckMode.Equals, true)]
    [InlineData("The answer is 42.", "42", StringCheckMode.Contains, true)]
    [InlineData("The answer is 41.", "42", StringCheckMode.Contains, false)]
    [InlineData("Yes, it is.", "yes", StringCheckMode.StartsWith, true)]
    [InlineData("I guarantee it.", "guarantee", StringCheckMode.NotContains, false)]
    public async Task StringCheckGrader_Grade_ScoresOneOnlyWhenTheCheckPasses(string response, string expected, StringCheckMode mode, bool passes)
    {
        var result = await new StringCheckGrader(expected, mode).GradeAsync(new GradingRequest(response), TestContext.Current.CancellationToken);
        Assert.Equal(passes ? 1 : 0, result.Score);
        Assert.Equal(passes, Assert.Single(result.Criteria).Passed);
    }

    [Fact]
    public async Task RegexGrader_Grade_MatchAndForbiddenMatch()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(1, (await new RegexGrader(@"^answer:\s*\d+$", options: System.Text.RegularExpressions.RegexOptions.Multiline | System.Text.RegularExpressions.RegexOptions.IgnoreCase).GradeAsync(new GradingRequest("work\nAnswer: 12"), ct)).Score);
        var forbidden = await new RegexGrader(@"\b(guaranteed|100%)", mustMatch: false).GradeAsync(new GradingRequest("It is guaranteed to work."), ct);
        Assert.Equal(0, forbidden.Score);
        Assert.Contains("guaranteed", forbidden.Criteria[0].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimilarityGrader_Grade_RanksCloseTextsAboveUnrelatedOnes()
    {
        var ct = TestContext.Current.CancellationToken;
        var grader = new SimilarityGrader("Check the original data before you publish the claim.");
        var same = await grader.GradeAsync(new GradingRequest("Check the original data before you publish the claim."), ct);
        var close = await grader.GradeAsync(new GradingRequest("Before you publish the claim, check the original data."), ct);
        var unrelated = await grader.GradeAsync(new GradingRequest("The weather in Lisbon is warm in June."), ct);
        Assert.Equal(1, same.Score, 6);
        Assert.InRange(close.Score, 0.6, 0.99);
        Assert.True(unrelated.Score < 0.1);
    }

    [Fact]
    public async Task RubricGrader_Grade_CombinesCriterionScoresByWeight()
    {
        var rubric = new List<RubricCriterion>
        {
            new("a", "A", CriterionPolarity.MustDo, 3, new JudgeCheck([["x"]])),
            new("b", "B", CriterionPolarity.MustDo, 1, new JudgeCheck([["y"]])),
        };
        var grader = new RubricGrader(new FixedScorer(new Dictionary<string, double> { ["a"] = 1, ["b"] = 0 }));
        var result = await grader.GradeAsync(new GradingRequest("anything") { Rubric = rubric }, TestContext.Current.CancellationToken);
        Assert.Equal(0.75, result.Score, 6);
        Assert.Equal(["a", "b"], result.Criteria.Select(c => c.Id));
    }

    [Fact]
    public async Task RubricGrader_WithBuiltInJudgeAsScorer_GradesEachCriterion()
    {
        var grader = new RubricGrader(new BuiltInJudge());
        var good = await grader.GradeAsync(GradingRequest.ForScenario(Scenario, Scenario.Beneficial.Text), TestContext.Current.CancellationToken);
        Assert.Equal(1, good.Score, 6);
    }

    [Fact]
    public async Task MultiGrader_Grade_AppliesTheWeightedFormulaAndKeepsDetail()
    {
        var multi = new MultiGrader([(new StringCheckGrader("review"), 1.0), (new RegexGrader("never-matches-xyz"), 3.0)]);
        var result = await multi.GradeAsync(new GradingRequest("Ready for your review."), TestContext.Current.CancellationToken);
        Assert.Equal(0.25, result.Score, 6);
        Assert.Contains(result.Criteria, c => c.Id.StartsWith("string-check/", StringComparison.Ordinal));
        Assert.Contains(result.Criteria, c => c.Id.StartsWith("regex/", StringComparison.Ordinal));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiGrader([(new StringCheckGrader("x"), 0.0)]));
    }

    [Fact]
    public async Task GradingDryRun_ExplainReferences_PrintsEveryCriterionVerdict()
    {
        var output = new StringWriter();
        var results = await GradingDryRun.ExplainReferencesAsync(new BuiltInJudge(), Scenario, output, TestContext.Current.CancellationToken);
        var text = output.ToString();
        Assert.Equal(Scenario.References.Count, results.Count);
        foreach (var criterion in Scenario.Rubric)
        {
            Assert.Contains(criterion.Id, text, StringComparison.Ordinal);
        }

        Assert.Contains("[PASS]", text, StringComparison.Ordinal);
        Assert.Contains("[FAIL]", text, StringComparison.Ordinal);
        Assert.Contains("#beneficial", text, StringComparison.Ordinal);
    }

    private sealed class FixedScorer(Dictionary<string, double> scores) : ICriterionScorer
    {
        public ValueTask<CriterionResult> ScoreAsync(RubricCriterion criterion, GradingRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new CriterionResult(criterion.Id, scores[criterion.Id] >= 0.5, scores[criterion.Id], criterion.Weight, "fixed"));
    }
}
