using System.Text;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Importers;
using BeneficialRL.Evals.Scoring;

namespace BeneficialRL.Evals.Tests;

/// <summary>Benchmarks imported with a mapping whose grader is OpenAI grader JSON, and scored with it.</summary>
public sealed class OpenAiGraderBenchmarkTests
{
    private const string Jsonl = """
        {"id": "q1", "question": "Capital of France?", "answer": "Paris", "meta": {"aliases": ["paris"]}}
        {"id": "q2", "question": "Capital of Italy?", "answer": "Rome", "meta": {"aliases": ["roma"]}}

        """;

    private static ImportOptions Options(string id) => new(id, id, "imported", []);

    private static MappingSpec Spec(string grader) =>
        MappingImporter.ParseSpec($$"""{"fileFormat": "jsonl", "format": "generate-grade", "id": "id", "prompt": "question", "grader": "openai", "openaiGrader": {{grader}}}""");

    private const string MultiGrader = """
        {"type": "multi", "name": "answer", "calculate_output": "max(exact, alias)",
         "graders": {"exact": {"type": "string_check", "name": "exact", "input": "{{sample.output_text}}", "reference": "{{item.answer}}", "operation": "ilike"},
                     "alias": {"type": "string_check", "name": "alias", "input": "{{sample.output_text}}", "reference": "{{item.meta.aliases[0]}}", "operation": "ilike"}}}
        """;

    [Fact]
    public void Import_OpenAiGrader_KeepsTheGraderAndEachRecordAsItsItem()
    {
        var benchmark = MappingImporter.Import(Encoding.UTF8.GetBytes(Jsonl), "capitals.jsonl", Spec(MultiGrader), Options("capitals"));

        Assert.Equal(GraderSpec.OpenAiKind, benchmark.Definition.Grader.Kind);
        Assert.Contains("\"calculate_output\"", benchmark.Definition.Grader.OpenAiGrader, StringComparison.Ordinal);
        Assert.Equal(2, benchmark.Items.Count);
        Assert.Contains("\"answer\":\"Rome\"", benchmark.Items[1].GraderItem, StringComparison.Ordinal);
        Assert.Empty(benchmark.Items[0].CorrectReferences);
    }

    [Fact]
    public async Task Run_OpenAiGrader_ScoresEachResponseWithIt()
    {
        var benchmark = MappingImporter.Import(Encoding.UTF8.GetBytes(Jsonl), "capitals.jsonl", Spec(MultiGrader), Options("capitals"));
        var model = new TableModel(generate: (prompt, _) => prompt.AllText.Contains("France", StringComparison.Ordinal) ? "It is PARIS." : "Roma, of course.");

        var run = await new BenchmarkRunner(model).RunAsync(benchmark, null, TestContext.Current.CancellationToken);

        Assert.Equal([1.0, 1.0], run.Items.Select(i => i.Score));
    }

    [Fact]
    public async Task Run_TextSimilarity_ScoreIsTheMetric()
    {
        var grader = """{"type": "text_similarity", "name": "s", "input": "{{sample.output_text}}", "reference": "{{item.answer}}", "evaluation_metric": "fuzzy_match"}""";
        var benchmark = MappingImporter.Import(Encoding.UTF8.GetBytes(Jsonl), "capitals.jsonl", Spec(grader), Options("capitals"));

        var run = await new BenchmarkRunner(new TableModel(generate: (_, _) => "Paris!")).RunAsync(benchmark, null, TestContext.Current.CancellationToken);

        Assert.Equal(10.0 / 11, run.Items[0].Score, 9);
        Assert.Equal(0, run.Items[1].Score, 9); // "Paris!" and "Rome" share no character (case counts)
    }

    [Fact]
    public async Task Import_CsvRows_AreItemsOfColumnTexts()
    {
        var csv = "id,question,answer\r\n1,Capital of France?,Paris\r\n2,Capital of Italy?,Rome\r\n";
        var spec = MappingImporter.ParseSpec("""
            {"fileFormat": "csv", "format": "generate-grade", "id": "id", "prompt": "question", "grader": "openai",
             "openaiGrader": {"type": "string_check", "name": "c", "input": "{{sample.output_text}}", "reference": "{{item.answer}}", "operation": "like"}}
            """);
        var benchmark = MappingImporter.Import(Encoding.UTF8.GetBytes(csv), "capitals.csv", spec, Options("capitals-csv"));

        Assert.Equal("""{"id":"2","question":"Capital of Italy?","answer":"Rome"}""", benchmark.Items[1].GraderItem);
        var run = await new BenchmarkRunner(new TableModel(generate: (_, _) => "Rome, surely")).RunAsync(benchmark, null, TestContext.Current.CancellationToken);
        Assert.Equal([0.0, 1.0], run.Items.Select(i => i.Score));
    }

    [Fact]
    public void Import_RecordLackingAVariable_FailsNamingTheLineAndTemplate()
    {
        var content = "{\"id\": \"q1\", \"question\": \"Q?\", \"answer\": \"A\", \"meta\": {\"aliases\": []}}\n";

        var error = Assert.Throws<BenchmarkImportException>(() => MappingImporter.Import(Encoding.UTF8.GetBytes(content), "x.jsonl", Spec(MultiGrader), Options("x")));

        Assert.Equal(1, error.Line);
        Assert.Equal("$.openaiGrader.graders.alias.reference", error.Field);
    }

    [Theory]
    [InlineData("""{"type": "text_similarity", "name": "s", "input": "{{sample.output_text}}", "reference": "{{item.answer}}", "evaluation_metric": "cosine"}""", "$.openaiGrader.evaluation_metric")]
    [InlineData("""{"type": "python", "name": "p", "source": "x"}""", "$.openaiGrader.type")]
    [InlineData("""{"type": "score_model", "name": "j", "model": "ckpt", "input": [{"role": "user", "content": "{{sample.output_text}}"}]}""", "$.openaiGrader.model")]
    public void Import_GraderThatCannotScoreBenchmarks_IsRefusedWithItsPath(string grader, string path)
    {
        var error = Assert.Throws<OpenAiGraderMappingException>(() => MappingImporter.Import(Encoding.UTF8.GetBytes(Jsonl), "capitals.jsonl", Spec(grader), Options("c")));
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void Import_OpenAiWithoutGraderJson_IsRefused()
    {
        var spec = MappingImporter.ParseSpec("""{"fileFormat": "jsonl", "format": "generate-grade", "prompt": "question", "grader": "openai"}""");
        var error = Assert.Throws<OpenAiGraderMappingException>(() => MappingImporter.Import(Encoding.UTF8.GetBytes(Jsonl), "capitals.jsonl", spec, Options("c")));
        Assert.Equal("$.openaiGrader", error.Path);
    }

    [Fact]
    public void ContentHash_OfItemsWithoutAGraderItem_IsUnchangedByTheNewMember() =>
        Assert.DoesNotContain("graderItem", BenchmarkContentHash.ToCanonicalJsonl([new BenchmarkItem("i", BenchmarkPrompt.FromUser("q", null), "health")]), StringComparison.Ordinal);
}
