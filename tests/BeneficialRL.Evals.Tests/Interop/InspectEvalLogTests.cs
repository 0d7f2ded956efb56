using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using BeneficialRL.Evals.BuiltIn;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Interop;
using BeneficialRL.Evals.Scoring;
using Json.Schema;

namespace BeneficialRL.Evals.Tests.Interop;

/// <summary>
/// Benchmark runs exported as Inspect <c>.eval</c> logs: Inspect's member names, and every member valid against
/// Inspect's published schema (pinned in Interop/Fixtures), for a multiple-choice and a generated benchmark scored by
/// the real runner.
/// </summary>
public sealed class InspectEvalLogTests
{
    private static readonly InspectRun Run = new(
        "bench-7f3a", "beneficialrl/ckpt-demo-treatment", new DateTimeOffset(2026, 12, 6, 18, 30, 5, TimeSpan.Zero),
        new DateTimeOffset(2026, 12, 6, 18, 30, 6, TimeSpan.Zero), new DateTimeOffset(2026, 12, 6, 18, 31, 0, TimeSpan.Zero), "1.0.0");

    private static readonly Lazy<string> OpenApi = new(() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Interop", "Fixtures", "inspect-openapi.json")));

    [Theory]
    [InlineData(BenchmarkFormat.McLogLik)]
    [InlineData(BenchmarkFormat.GenerateGrade)]
    public async Task Write_ScoredRun_EveryMemberValidatesAgainstInspectsSchema(BenchmarkFormat format)
    {
        var (benchmark, results) = await ScoredAsync(format);

        var members = Read(benchmark, results);

        Assert.Equal(
            ["_journal/start.json", .. results.Select(r => $"samples/{r.ItemId}_epoch_1.json"), "summaries.json", "reductions.json", "header.json"],
            members.Keys);
        AssertValid("EvalLog", members["header.json"]);
        AssertValid("EvalSpec", members["_journal/start.json"]["eval"]!);
        AssertValid("EvalPlan", members["_journal/start.json"]["plan"]!);
        foreach (var result in results)
        {
            AssertValid("EvalSample", members[$"samples/{result.ItemId}_epoch_1.json"]);
        }

        Assert.All(members["summaries.json"].AsArray(), summary => AssertValid("EvalSampleSummary", summary!));
        Assert.All(members["reductions.json"].AsArray(), reduction => AssertValid("EvalSampleReductions", reduction!));
    }

    [Fact]
    public async Task Write_McRun_SamplesCarryOptionsPredictionAndOurScore()
    {
        var (benchmark, results) = await ScoredAsync(BenchmarkFormat.McLogLik);

        var members = Read(benchmark, results);

        var first = results[0];
        var item = benchmark.Items.Single(i => i.Id == first.ItemId);
        var sample = members[$"samples/{first.ItemId}_epoch_1.json"];
        Assert.Equal(item.Options.Select(o => o.Text), sample["choices"]!.AsArray().Select(c => c!.GetValue<string>()));
        var score = sample["scores"]![InspectEvalLog.ScorerName]!;
        Assert.Equal(first.Score, score["value"]!.GetValue<double>(), 12);
        Assert.Equal(item.Options[first.PredictedOption!.Value].Text, score["answer"]!.GetValue<string>());
        Assert.Equal(item.Options[first.PredictedOption.Value].Text, sample["output"]!["completion"]!.GetValue<string>());
        Assert.Equal(first.Options.Count, score["metadata"]!["options"]!.AsArray().Count);
        var header = members["header.json"];
        Assert.Equal("success", header["status"]!.GetValue<string>());
        Assert.Equal(results.Average(r => r.Score), header["results"]!["scores"]![0]!["metrics"]!["mean"]!["value"]!.GetValue<double>(), 12);
        Assert.Equal(benchmark.Definition.Id, header["eval"]!["task"]!.GetValue<string>());
    }

    [Fact]
    public void FileName_IsInspectsPattern()
    {
        var benchmark = BuiltInSuite.Generate().First();

        Assert.Equal($"2026-12-06T18-30-05-00-00_{benchmark.Definition.Id.Replace('_', '-')}_bench-7f3a.eval", InspectEvalLog.FileName(Run, benchmark.Definition));
    }

    [Fact]
    public async Task Schema_SampleWithoutEpoch_IsInvalid()
    {
        // The validator really validates: the same sample without a required member fails.
        var (benchmark, results) = await ScoredAsync(BenchmarkFormat.McLogLik);
        var sample = Read(benchmark, results)[$"samples/{results[0].ItemId}_epoch_1.json"].AsObject();
        sample.Remove("epoch");

        Assert.False(Evaluate("EvalSample", sample).IsValid);
    }

    [Fact]
    public async Task Write_ResultForAnItemTheBenchmarkLacks_Throws()
    {
        var (benchmark, results) = await ScoredAsync(BenchmarkFormat.McLogLik);
        using var stream = new MemoryStream();

        var error = Assert.Throws<ArgumentException>(() => InspectEvalLog.Write(stream, Run, benchmark, [.. results, results[0] with { ItemId = "no-such-item" }]));

        Assert.Contains("no-such-item", error.Message, StringComparison.Ordinal);
    }

    private static async Task<(Benchmark Benchmark, IReadOnlyList<BenchmarkItemResult> Results)> ScoredAsync(BenchmarkFormat format)
    {
        var benchmark = BuiltInSuite.Generate().First(b => b.Definition.Format == format);
        var policy = new TableModel(
            new Dictionary<string, CandidateLogLikelihood>(),
            (prompt, k) => k == 0 ? "I would tell them plainly what I know and what I do not." : "I can't help with that.");
        var lengthPolicy = new LengthScoringPolicy(policy);
        var run = await new BenchmarkRunner(lengthPolicy, new BenchmarkRunOptions { MaxItems = 5, SamplesPerItem = 2 }).RunAsync(benchmark, null, TestContext.Current.CancellationToken);
        return (benchmark, run.Items);
    }

    private static Dictionary<string, JsonNode> Read(Benchmark benchmark, IReadOnlyList<BenchmarkItemResult> results)
    {
        using var stream = new MemoryStream();
        InspectEvalLog.Write(stream, Run, benchmark, results);
        stream.Position = 0;
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var entry = e.Open();
            return JsonNode.Parse(entry)!;
        });
    }

    private static void AssertValid(string definition, JsonNode instance)
    {
        var result = Evaluate(definition, instance);
        Assert.True(result.IsValid, $"{definition} invalid:\n{JsonSerializer.Serialize(result)}");
    }

    private static EvaluationResults Evaluate(string definition, JsonNode instance)
    {
        // Inspect's OpenAPI 3.1 component schemas are JSON Schema 2020-12: a root that refers to one of them validates
        // against it (the document's other members are unknown keywords, ignored).
        var document = JsonNode.Parse(OpenApi.Value)!.AsObject();
        document["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        document["$id"] = $"https://inspect.example/{definition}.json";
        document["$ref"] = $"#/components/schemas/{definition}";
        var schema = JsonSchema.FromText(document.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft202012 });
        using var json = JsonDocument.Parse(instance.ToJsonString());
        return schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    /// <summary>Scores a candidate by its length (shorter is likelier), and generates with the wrapped model.</summary>
    private sealed class LengthScoringPolicy(TableModel generator) : IPolicyModel
    {
        public Task<IReadOnlyList<CandidateLogLikelihood>> ScoreAsync(BenchmarkPrompt context, IReadOnlyList<string> candidates, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<CandidateLogLikelihood>>([.. candidates.Select(c => new CandidateLogLikelihood(-0.2 * c.Length, Math.Max(1, c.Length / 4)))]);

        public Task<IReadOnlyList<IReadOnlyList<string>>> GenerateAsync(IReadOnlyList<BenchmarkPrompt> prompts, int samplesPerPrompt, GenerationSettings settings, CancellationToken cancellationToken) =>
            generator.GenerateAsync(prompts, samplesPerPrompt, settings, cancellationToken);
    }
}
