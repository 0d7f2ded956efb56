using BeneficialRL.Evals.BuiltIn;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Scenarios.Contamination;
using BeneficialRL.Scenarios.Generation;
using BeneficialRL.Scenarios.StandardTasks;

namespace BeneficialRL.Evals.Tests;

public sealed class ContaminationTests
{
    /// <summary>The training side: the default-size training split (user turns and every reference answer) plus standard tasks.</summary>
    private static List<ContaminationItem> TrainingTexts()
    {
        var items = new List<ContaminationItem>();
        foreach (var scenario in new ScenarioGenerator().GenerateTraining(seed: 1))
        {
            items.Add(new ContaminationItem(scenario.Id, scenario.UserText));
            items.AddRange(scenario.References.Select((r, i) => new ContaminationItem($"{scenario.Id}/ref{i}", r.Text)));
        }

        items.AddRange(new StandardTaskGenerator().Generate(seed: 1, perFamily: 500).Select(t => new ContaminationItem(t.Id, t.Prompt)));
        return items;
    }

    private static IEnumerable<ContaminationItem> BenchmarkTexts(Benchmark benchmark) =>
        benchmark.Items.Select(i => new ContaminationItem(
            i.Id,
            string.Join("\n", [i.Prompt.AllText, i.SwappedPrompt?.AllText ?? "", .. i.Options.Select(o => o.Text)])));

    [Fact]
    public void EveryBuiltInBenchmark_AgainstTrainingSet_SharesNo13Gram()
    {
        var training = TrainingTexts();
        var suite = BuiltInSuite.Generate();
        var candidates = suite.SelectMany(BenchmarkTexts).ToList();

        var report = ContaminationChecker.Compare(training, candidates);

        Assert.True(training.Count > 100_000, $"{training.Count} training texts");
        Assert.Equal(suite.Sum(b => b.Items.Count), report.CandidateItems);
        Assert.True(report.CandidatesWithOverlap == 0, report.ToMarkdown());

        // Positive control: a benchmark item that quotes one training sentence is caught.
        var leaked = new ContaminationItem("leak", "Please help. " + training[0].Text);
        Assert.Equal(1, ContaminationChecker.Compare(training, [leaked]).CandidatesWithOverlap);
    }
}
