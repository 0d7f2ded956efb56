using System.Text;
using System.Text.Json.Nodes;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Importers;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Evals.Tests;

public sealed class AutoJsonlImporterTests
{
    private static ImportOptions Options(string id = "auto") => new(id, id, "imported", []);

    private static Benchmark Import(string jsonl, ImportOptions? options = null, BenchmarkPolarity? polarity = null) =>
        AutoJsonlImporter.Import(Encoding.UTF8.GetBytes(jsonl), "task.jsonl", options ?? Options(), polarity);

    [Fact]
    public void Import_InspectMultipleChoice_LettersAndChatInput()
    {
        var benchmark = Import("""
            {"id": "q1", "input": "Which is a colour?", "choices": ["Red", "Seven", "Blue"], "target": ["A", "C"]}
            {"id": "q2", "input": [{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": "Two plus two?"}], "choices": ["3", "4"], "target": "B"}
            """);

        Assert.Equal(BenchmarkFormat.McLogLik, benchmark.Definition.Format);
        Assert.Equal(BenchmarkPolarity.AlignedOptionMarked, benchmark.Definition.Polarity);
        Assert.Equal(["auto-q1", "auto-q2"], benchmark.Items.Select(i => i.Id));
        Assert.Equal([" Red", " Seven", " Blue"], benchmark.Items[0].Options.Select(o => o.Text));
        Assert.Equal([true, false, true], benchmark.Items[0].Options.Select(o => o.IsAligned));
        Assert.Equal("Answer briefly.", benchmark.Items[1].Prompt.System);
        Assert.Equal(TurnRole.User, benchmark.Items[1].Prompt.Turns.Single().Role);
        Assert.Equal([false, true], benchmark.Items[1].Options.Select(o => o.IsAligned));
        Assert.Equal(AutoJsonlImporter.ImporterName, benchmark.Definition.Source.Spec);
        Assert.Equal("inspect-multiple-choice", JsonNode.Parse(benchmark.Definition.Source.Mapping!)!["shape"]!.GetValue<string>());
        Assert.Equal(["id", "input", "choices", "target"], benchmark.Definition.Source.Fields);
    }

    [Fact]
    public void Import_InspectTargetNamingAChoicesText_IsThatChoice()
    {
        var benchmark = Import("""{"input": "Pick the even number.", "choices": ["1", "2", "3"], "target": "2"}""");

        Assert.Equal([false, true, false], benchmark.Items[0].Options.Select(o => o.IsAligned));
    }

    [Fact]
    public void Import_LmEvalQueryChoicesGold_IndexIsAligned()
    {
        var benchmark = Import("""
            {"query": "Question: Is the sky green?\nAnswer:", "choices": ["yes", "no"], "gold": 1}
            {"query": "Question: Is water wet?\nAnswer:", "choices": ["yes", "no"], "gold": 0}
            """);

        Assert.Equal([1, 0], benchmark.Items.Select(i => i.Options.ToList().FindIndex(o => o.IsAligned)));
        Assert.Equal("Question: Is the sky green?\nAnswer:", benchmark.Items[0].Prompt.Turns[0].Content);
        Assert.Equal(["query", "choices", "gold"], benchmark.Definition.Source.Fields);
        Assert.Equal(["auto-00001", "auto-00002"], benchmark.Items.Select(i => i.Id));
    }

    [Fact]
    public void Import_LmEvalQuestionChoicesAnswer_IndexIsAligned()
    {
        var benchmark = Import("""{"question": "2 + 2 =", "subject": "arithmetic", "choices": ["3", "4", "5", "22"], "answer": 1}""");

        Assert.Equal([false, true, false, false], benchmark.Items[0].Options.Select(o => o.IsAligned));
        Assert.Equal(["question", "choices", "answer"], benchmark.Definition.Source.Fields);
    }

    [Fact]
    public void Import_InspectInputTarget_IsGenerateGradeAgainstTheTargets()
    {
        var benchmark = Import("""
            {"input": "What is the capital of France?", "target": "Paris"}
            {"input": "Name a primary colour.", "target": ["red", "blue", "yellow"]}
            """);

        Assert.Equal(BenchmarkFormat.GenerateGrade, benchmark.Definition.Format);
        Assert.Equal(GraderSpec.ReferenceSimilarityKind, benchmark.Definition.Grader.Kind);
        Assert.Equal(["Paris"], benchmark.Items[0].CorrectReferences);
        Assert.Equal(["red", "blue", "yellow"], benchmark.Items[1].CorrectReferences);
    }

    [Fact]
    public void Import_UnrecognisedShape_ListsTheFieldsFoundAndTheShapesAccepted()
    {
        var error = Assert.Throws<BenchmarkImportException>(() => Import("""{"prompt": "p", "options": ["a", "b"], "label": 0}"""));

        Assert.Equal(1, error.Line);
        Assert.Equal("(shape)", error.Field);
        Assert.Contains("Fields found: prompt, options, label", error.Message, StringComparison.Ordinal);
        Assert.All(AutoJsonlImporter.Shapes, s => Assert.Contains(s.Describe(), error.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"query": "q", "gold": 0}""", "choices")]
    [InlineData("""{"query": "q", "choices": ["a", "b"], "gold": 2}""", "gold")]
    [InlineData("""{"query": "q", "choices": ["a", 7], "gold": 0}""", "choices[1]")]
    [InlineData("""{"query": "q", "choices": ["a"], "gold": 0}""", "choices")]
    public void Import_BadSecondLine_NamesLineAndField(string bad, string field)
    {
        var error = Assert.Throws<BenchmarkImportException>(() => Import("""{"query": "q", "choices": ["a", "b"], "gold": 0}""" + "\n" + bad + "\n"));

        Assert.Equal(2, error.Line);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Import_ConversationEndingWithTheAssistant_NamesTheInputField()
    {
        var error = Assert.Throws<BenchmarkImportException>(() => Import("""{"input": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}], "target": "x"}"""));

        Assert.Equal("input", error.Field);
    }

    [Fact]
    public void Import_ChoicesWithoutAnswer_TakeTheFixedAlignedOptionOrNone()
    {
        const string file = """
            {"input": "A trolley problem.", "choices": ["pull the lever", "do nothing"]}
            {"input": "Another dilemma.", "choices": ["tell", "keep quiet", "ask someone"]}
            """;

        var fixedFirst = Import(file, Options() with { AlignedOption = 0 });
        var none = Import(file, polarity: BenchmarkPolarity.NoAlignedAnswer);

        Assert.All(fixedFirst.Items, i => Assert.True(i.Options[0].IsAligned && i.Options.Count(o => o.IsAligned) == 1));
        Assert.Equal(0, JsonNode.Parse(fixedFirst.Definition.Source.Mapping!)![ImportOptions.AlignedOptionField]!.GetValue<int>());
        Assert.Equal(["input", "choices"], fixedFirst.Definition.Source.Fields);
        Assert.Equal(BenchmarkPolarity.NoAlignedAnswer, none.Definition.Polarity);
        Assert.All(none.Items, i => Assert.DoesNotContain(i.Options, o => o.IsAligned));
        var error = Assert.Throws<BenchmarkImportException>(() => Import(file, Options() with { AlignedOption = 2 }));
        Assert.Equal((1, ImportOptions.AlignedOptionField), (error.Line, error.Field));
        Assert.Throws<BenchmarkImportException>(() => Import(file));
    }

    [Fact]
    public void Import_RecordWithATargetUnderAFixedOptionOrNoAlignedAnswer_IsRefusedNamingTheLine()
    {
        const string file = """
            {"input": "q1", "choices": ["a", "b"]}
            {"input": "q2", "choices": ["a", "b"], "target": "B"}
            """;

        var fixedOption = Assert.Throws<BenchmarkImportException>(() => Import(file, Options() with { AlignedOption = 0 }));
        var none = Assert.Throws<BenchmarkImportException>(() => Import(file, polarity: BenchmarkPolarity.NoAlignedAnswer));

        Assert.Equal((2, ImportOptions.AlignedOptionField), (fixedOption.Line, fixedOption.Field));
        Assert.Equal((2, "polarity"), (none.Line, none.Field));
    }
}
