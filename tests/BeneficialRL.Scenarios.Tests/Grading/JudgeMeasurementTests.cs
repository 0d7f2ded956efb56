using BeneficialRL.Scenarios.Generation;
using BeneficialRL.Scenarios.Schema;
using BeneficialRL.Scenarios.Taxonomy;

namespace BeneficialRL.Scenarios.Tests.Grading;

/// <summary>
/// Measures the built-in judge on hand-written labelled answers and on cut-short references
/// (issue 12, deliverable 6). These tests check that the measurement is complete and honest
/// (every item graded, nothing copied from the phrase lists); they do not assert that the judge is accurate.
/// Set <c>BENEFICIALRL_JUDGE_REPORT</c> to the path of <c>docs/science/judge.md</c> to rewrite its generated block.
/// </summary>
public sealed class JudgeMeasurementTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<LabelledAnswer> Items = JudgeParaphraseSet.Load();

    [Fact]
    public void JudgeParaphraseSet_CompareWithConceptPhrases_SharesNoContentTrigram()
    {
        var allRubrics = Items.Select(i => i.Trait).Distinct(StringComparer.Ordinal).SelectMany(t => JudgeMeasurement.RubricScenario(t).Rubric).ToList();
        var copied = Items
            .Select(i => (Item: i, Shared: JudgeParaphraseSet.SharedTrigrams(i.Answer, allRubrics)))
            .Where(x => x.Shared.Count > 0)
            .Select(x => $"{x.Item.Trait}/{x.Item.Criterion}: {string.Join(", ", x.Shared)} || {x.Item.Answer}")
            .ToList();
        Assert.True(copied.Count == 0, "answers sharing a content-word 3-gram with a concept phrase:\n" + string.Join("\n", copied));
    }

    [Fact]
    public void JudgeParaphraseSet_Load_CoversEveryTraitWithBothPolaritiesAndBothLabels()
    {
        var traits = ScenarioTaxonomy.Default.Traits.Select(t => t.Id).ToList();
        foreach (var trait in traits)
        {
            var rubric = JudgeMeasurement.RubricScenario(trait).Rubric;
            var items = Items.Where(i => i.Trait == trait).ToList();
            var criteria = items.Select(i => i.Criterion).Distinct(StringComparer.Ordinal).Select(id => rubric.SingleOrDefault(c => c.Id == id)).ToList();
            Assert.DoesNotContain(null, criteria);
            Assert.True(criteria.Count >= 2, $"{trait}: fewer than 2 criteria");
            Assert.Contains(criteria, c => c!.Polarity == CriterionPolarity.MustDo);
            Assert.Contains(criteria, c => c!.Polarity == CriterionPolarity.MustAvoid);
            foreach (var criterion in criteria)
            {
                Assert.True(items.Any(i => i.Criterion == criterion!.Id && i.Present) && items.Any(i => i.Criterion == criterion!.Id && !i.Present), $"{trait}/{criterion!.Id}: needs answers with and without the behaviour");
            }
        }

        Assert.Empty(Items.Select(i => i.Trait).Except(traits, StringComparer.Ordinal));
        Assert.All(Items, i => Assert.Contains(i.Kind, new[] { "paraphrase", "opposite", "polite-non-answer", "truncated", "keyword-opposite" }));
    }

    [Fact]
    public void BuiltInJudge_GradeLabelledAnswersAndCutReferences_TablesCoverEveryItem()
    {
        var judged = JudgeMeasurement.GradeAll(Items);
        var scenarios = new ScenarioGenerator().GenerateTraining(seed: 11, perCell: 1).ToList();
        var truncation = JudgeMeasurement.Truncation(scenarios, [24, 32]);
        var markdown = JudgeMeasurement.Markdown(judged, truncation, scenarios.Count);
        output.WriteLine(markdown);

        var overall = Confusion.Of(judged);
        Assert.Equal(Items.Count, overall.Total);
        Assert.Equal(Items.Count, judged.GroupBy(j => j.Item.Trait).Sum(g => Confusion.Of(g).Total));
        Assert.Equal(scenarios.Count, truncation.Single(r => r.Answer.StartsWith("beneficial", StringComparison.Ordinal) && r.Length == "first 24 words").Count);
        Assert.Equal(scenarios.Sum(s => s.References.Count(r => r.Kind != ResponseKind.Beneficial)), truncation.Single(r => r.Answer.StartsWith("failure", StringComparison.Ordinal) && r.Length == "first 32 words").Count);

        var path = Environment.GetEnvironmentVariable("BENEFICIALRL_JUDGE_REPORT");
        if (!string.IsNullOrEmpty(path))
        {
            File.WriteAllText(path, JudgeMeasurement.Splice(File.ReadAllText(path), markdown));
        }
    }
}
