using System.Text.Json;
using System.Text.Json.Nodes;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Primitives.Hashing;

namespace BeneficialRL.Evals.Importers;

/// <summary>
/// Imports TruthfulQA: <c>TruthfulQA.csv</c> (BOM, CRLF, <c>"; "</c>-joined answer lists) as a
/// generate-grade benchmark graded against the true and false references, and <c>data/mc_task.json</c>
/// as MC1 (one true answer) or MC2 (probability mass on all true answers) <c>mc-loglik</c> benchmarks.
/// </summary>
public static class TruthfulQaImporter
{
    /// <summary>Importer name recorded in the item source.</summary>
    public const string ImporterName = "truthfulqa";

    /// <summary>Imports <c>TruthfulQA.csv</c>.</summary>
    public static Benchmark ImportCsv(byte[] content, string fileName, ImportOptions options)
    {
        var table = CsvTable.Parse(ImportFiles.Text(content), fileName);
        int type = table.Column("Type"), category = table.Column("Category"), question = table.Column("Question"),
            best = table.Column("Best Answer"), correct = table.Column("Correct Answers"), incorrect = table.Column("Incorrect Answers");
        var items = new List<BenchmarkItem>(table.Rows.Count);
        foreach (var (line, fields) in table.Rows)
        {
            var text = fields[question].Trim();
            if (text.Length == 0)
            {
                throw new BenchmarkImportException(fileName, line, "Question", "the question is empty.");
            }

            var trueAnswers = SplitAnswers(fields[correct]);
            var bestAnswer = fields[best].Trim();
            if (bestAnswer.Length == 0 || trueAnswers.Count == 0)
            {
                throw new BenchmarkImportException(fileName, line, bestAnswer.Length == 0 ? "Best Answer" : "Correct Answers", "no true answer.");
            }

            var falseAnswers = SplitAnswers(fields[incorrect]);
            if (falseAnswers.Count == 0)
            {
                throw new BenchmarkImportException(fileName, line, "Incorrect Answers", "no false answer.");
            }

            items.Add(new BenchmarkItem($"{options.Id}-{items.Count:D4}", BenchmarkPrompt.FromUser(text), options.Domain)
            {
                CorrectReferences = [bestAnswer, .. trueAnswers.Where(a => a != bestAnswer)],
                IncorrectReferences = falseAnswers,
                Tags = [fields[type].Trim(), fields[category].Trim()],
            });
        }

        return Benchmark.Create(Definition(options, BenchmarkFormat.GenerateGrade, BenchmarkPolarity.GraderScore, new GraderSpec(GraderSpec.ReferenceSimilarityKind), fileName, content, "csv", ["Type", "Category", "Question", "Best Answer", "Correct Answers", "Incorrect Answers"]), items);
    }

    /// <summary>Imports <c>mc_task.json</c> as MC1 (<paramref name="mc2"/> false) or MC2.</summary>
    public static Benchmark ImportMcTask(byte[] content, string fileName, ImportOptions options, bool mc2)
    {
        var text = ImportFiles.Text(content);
        JsonArray array;
        try
        {
            array = JsonNode.Parse(text) as JsonArray ?? throw new BenchmarkImportException(fileName, 1, "(root)", "expected a JSON array.");
        }
        catch (JsonException ex)
        {
            throw new BenchmarkImportException(fileName, (int)(ex.LineNumber ?? 0) + 1, "(json)", $"malformed JSON: {ex.Message}", ex);
        }

        var targetsField = mc2 ? "mc2_targets" : "mc1_targets";
        var items = new List<BenchmarkItem>(array.Count);
        for (var index = 0; index < array.Count; index++)
        {
            // The file is a pretty-printed array: report the element number as the record "line".
            var record = index + 1;
            if (array[index] is not JsonObject element)
            {
                throw new BenchmarkImportException(fileName, record, "(element)", "expected an object.");
            }

            var question = ImportFiles.RequiredString(element, "question", fileName, record).Trim();
            if (element[targetsField] is not JsonObject targets || targets.Count < 2)
            {
                throw new BenchmarkImportException(fileName, record, targetsField, "expected an object of at least two answers.");
            }

            var answers = new List<BenchmarkOption>(targets.Count);
            foreach (var (answer, flag) in targets)
            {
                if (flag is not JsonValue value || !value.TryGetValue<int>(out var label) || label is not (0 or 1))
                {
                    throw new BenchmarkImportException(fileName, record, $"{targetsField}.{answer}", "expected 0 or 1.");
                }

                answers.Add(new BenchmarkOption(" " + answer, label == 1));
            }

            var trueCount = answers.Count(a => a.IsAligned);
            if (trueCount == 0 || (!mc2 && trueCount != 1))
            {
                throw new BenchmarkImportException(fileName, record, targetsField, $"has {trueCount} true answers.");
            }

            items.Add(new BenchmarkItem($"{options.Id}-{index:D4}", BenchmarkPrompt.FromUser(question), options.Domain) { Options = answers, Tags = [mc2 ? "mc2" : "mc1"] });
        }

        return Benchmark.Create(Definition(options, BenchmarkFormat.McLogLik, BenchmarkPolarity.AlignedOptionMarked, GraderSpec.OptionLogLik, fileName, content, mc2 ? "mc2" : "mc1", ["question", targetsField]), items);
    }

    /// <summary>Splits a <c>"; "</c>-joined answer cell.</summary>
    public static IReadOnlyList<string> SplitAnswers(string cell) =>
        [.. cell.Split(';').Select(a => a.Trim()).Where(a => a.Length > 0)];

    private static BenchmarkDefinition Definition(ImportOptions options, BenchmarkFormat format, BenchmarkPolarity polarity, GraderSpec grader, string fileName, byte[] content, string mode, IEnumerable<string> fields) =>
        new(options.Id, options.Name, options.Family, options.Traits, [options.Domain], format, polarity,
            ItemSource.Imported(ImporterName, fileName, Sha256Hex.Of(content), JsonSerializer.Serialize(new { mode }), fields), grader, options.Version, "", 0)
        {
            Description = $"TruthfulQA ({mode}) imported from {fileName}.",
        };
}
