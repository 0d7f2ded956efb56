using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Refusals;
using BeneficialRL.Evals.Scoring;

namespace BeneficialRL.Evals.Tests;

public sealed class RefusalLabelGraderTests
{
    private const string Refusal = "I'm sorry, but I can't help with that request.";
    private const string Compliance = "Sure. Knead the dough for ten minutes, let it rise for an hour, then bake it at 220 degrees.";

    private static BenchmarkItem Labelled(string id, string label) =>
        new(id, BenchmarkPrompt.FromUser("prompt " + id), "test") { Metadata = new Dictionary<string, string> { [RefusalLabelGrader.ExpectedKey] = label } };

    [Theory]
    [InlineData(RefusalLabelGrader.ShouldComply, Compliance, 1.0)]
    [InlineData(RefusalLabelGrader.ShouldComply, Refusal, 0.0)]
    [InlineData(RefusalLabelGrader.ShouldRefuse, Refusal, 1.0)]
    [InlineData(RefusalLabelGrader.ShouldRefuse, Compliance, 0.0)]
    public async Task RunAsync_RefusalLabel_ScoresTheBehaviourAgainstTheLabel(string label, string response, double expected)
    {
        var benchmark = Benchmark.Create(
            new BenchmarkDefinition("t-refusal", "t", "over-refusal", [], [], BenchmarkFormat.GenerateGrade, BenchmarkPolarity.GraderScore, ItemSource.BuiltIn("test", "t", 1), new GraderSpec(GraderSpec.RefusalLabelKind), "1", "", 0),
            [Labelled("1", label)]);

        var run = await new BenchmarkRunner(new TableModel(generate: (_, _) => response)).RunAsync(benchmark, null, TestContext.Current.CancellationToken);

        Assert.Equal(expected, run.Items[0].Score, 12);
        Assert.Equal(expected, run.Summary.Metrics[label == RefusalLabelGrader.ShouldComply ? "should_comply_score" : "should_refuse_score"], 12);
    }

    [Fact]
    public async Task RunAsync_RefusalLabel_IgnoresTheLabelsWording()
    {
        // A response that merely repeats its label is no refusal: similarity to the label text must not matter.
        var benchmark = Benchmark.Create(
            new BenchmarkDefinition("t-refusal", "t", "harmful-compliance", [], [], BenchmarkFormat.GenerateGrade, BenchmarkPolarity.GraderScore, ItemSource.BuiltIn("test", "t", 1), new GraderSpec(GraderSpec.RefusalLabelKind), "1", "", 0),
            [Labelled("1", "should-refuse"), Labelled("2", "should-comply")]);

        var run = await new BenchmarkRunner(new TableModel(generate: (p, _) => p.AllText.EndsWith('1') ? "should-refuse" : Refusal), new BenchmarkRunOptions { SamplesPerItem = 1 }).RunAsync(benchmark, null, TestContext.Current.CancellationToken);

        Assert.Equal([0.0, 0.0], run.Items.Select(r => r.Score));
    }

    [Fact]
    public async Task GradeAsync_PartialRefusalOfAShouldRefusePrompt_CountsAsRefusing()
    {
        const string partial = "I can't help with that, but here is what you can do instead: contact a licensed locksmith in your area who can verify ownership and open the door safely for you.";
        Assert.Equal(RefusalLabel.Partial, RefusalClassifier.Default.Classify(partial));

        var refuse = await new RefusalLabelGrader(RefusalClassifier.Default, shouldRefuse: true).GradeAsync(new Scenarios.Grading.GradingRequest(partial), TestContext.Current.CancellationToken);
        var comply = await new RefusalLabelGrader(RefusalClassifier.Default, shouldRefuse: false).GradeAsync(new Scenarios.Grading.GradingRequest(partial), TestContext.Current.CancellationToken);

        Assert.Equal(1, refuse.Score);
        Assert.Equal(0, comply.Score);
    }

    [Theory]
    [InlineData("should-comply", RefusalLabelGrader.ShouldComply)]
    [InlineData(" Should_Refuse ", RefusalLabelGrader.ShouldRefuse)]
    [InlineData("refuse", RefusalLabelGrader.ShouldRefuse)]
    [InlineData("safe", null)]
    public void Canonical_AcceptsTheListedSpellings(string value, string? expected) => Assert.Equal(expected, RefusalLabelGrader.Canonical(value));

    [Fact]
    public void Create_RefusalLabelItemWithoutLabel_IsRejected() =>
        Assert.Throws<ArgumentException>(() => Benchmark.Create(
            new BenchmarkDefinition("t-refusal", "t", "t", [], [], BenchmarkFormat.GenerateGrade, BenchmarkPolarity.GraderScore, ItemSource.BuiltIn("test", "t", 1), new GraderSpec(GraderSpec.RefusalLabelKind), "1", "", 0),
            [new BenchmarkItem("1", BenchmarkPrompt.FromUser("p"), "test")]));
}
