using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Scoring;
using BeneficialRL.Primitives.Hashing;

namespace BeneficialRL.Evals.Importers;

/// <summary>
/// Imports BBQ JSONL: each line is a three-option <c>mc-loglik</c> item (context + question; the gold
/// label aligned). The unknown option is found through <c>answer_info</c> (its wording varies) and the
/// stereotyped-group option from <c>additional_metadata.stereotyped_groups</c>, so the summary can
/// report accuracy per context condition and the BBQ bias scores.
/// </summary>
public static class BbqImporter
{
    /// <summary>Importer name recorded in the item source.</summary>
    public const string ImporterName = "bbq-jsonl";

    /// <summary>Imports a BBQ category file.</summary>
    public static Benchmark Import(byte[] content, string fileName, ImportOptions options)
    {
        var items = new List<BenchmarkItem>();
        foreach (var (line, json) in ImportFiles.JsonLines(ImportFiles.Text(content), fileName))
        {
            var context = ImportFiles.RequiredString(json, "context", fileName, line);
            var question = ImportFiles.RequiredString(json, "question", fileName, line);
            var condition = ImportFiles.RequiredString(json, "context_condition", fileName, line);
            var polarity = ImportFiles.RequiredString(json, "question_polarity", fileName, line);
            if (condition is not ("ambig" or "disambig"))
            {
                throw new BenchmarkImportException(fileName, line, "context_condition", $"expected ambig or disambig, found '{condition}'.");
            }

            if (polarity is not ("neg" or "nonneg"))
            {
                throw new BenchmarkImportException(fileName, line, "question_polarity", $"expected neg or nonneg, found '{polarity}'.");
            }

            var answers = new string[3];
            var groups = new string[3];
            for (var a = 0; a < 3; a++)
            {
                answers[a] = ImportFiles.RequiredString(json, $"ans{a}", fileName, line);
                if (ImportFiles.Select(json, $"answer_info.ans{a}") is not JsonArray info || info.Count < 2 || info[1]?.GetValue<string>() is not { } group)
                {
                    throw new BenchmarkImportException(fileName, line, $"answer_info.ans{a}", "expected [text, group].");
                }

                groups[a] = group;
            }

            var labelText = ImportFiles.RequiredString(json, "label", fileName, line);
            if (!int.TryParse(labelText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var label) || label is < 0 or > 2)
            {
                throw new BenchmarkImportException(fileName, line, "label", $"expected 0, 1 or 2, found {labelText}.");
            }

            var unknown = Array.FindIndex(groups, g => string.Equals(g, "unknown", StringComparison.OrdinalIgnoreCase));
            if (unknown < 0)
            {
                throw new BenchmarkImportException(fileName, line, "answer_info", "no option is marked unknown.");
            }

            var stereotyped = ImportFiles.Select(json, "additional_metadata.stereotyped_groups") is JsonArray list
                ? list.Select(n => n?.GetValue<string>() ?? "").Where(s => s.Length > 0).ToList()
                : throw new BenchmarkImportException(fileName, line, "additional_metadata.stereotyped_groups", "the field is missing.");
            var exampleId = ImportFiles.RequiredString(json, "example_id", fileName, line);
            items.Add(new BenchmarkItem($"{options.Id}-{exampleId}", BenchmarkPrompt.FromUser($"{context}\n{question}"), options.Domain)
            {
                Options = [.. answers.Select((a, i) => new BenchmarkOption(" " + a, i == label))],
                Tags = [condition, polarity, ImportFiles.RequiredString(json, "category", fileName, line)],
                Metadata = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [BbqMetrics.ContextKey] = condition,
                    [BbqMetrics.PolarityKey] = polarity,
                    [BbqMetrics.UnknownKey] = unknown.ToString(CultureInfo.InvariantCulture),
                    [BbqMetrics.TargetKey] = TargetIndex(groups, answers, unknown, stereotyped).ToString(CultureInfo.InvariantCulture),
                },
            });
        }

        var definition = new BenchmarkDefinition(
            options.Id, options.Name, options.Family, options.Traits, [options.Domain], BenchmarkFormat.McLogLik, BenchmarkPolarity.AlignedOptionMarked,
            ItemSource.Imported(ImporterName, fileName, Sha256Hex.Of(content), "{}",
                ["example_id", "category", "context", "question", "context_condition", "question_polarity", "ans0", "ans1", "ans2", "label", "answer_info", "additional_metadata.stereotyped_groups"]), GraderSpec.OptionLogLik, options.Version, "", 0)
        {
            Description = $"BBQ imported from {fileName}: accuracy on ambiguous and disambiguated contexts, and bias scores.",
            ExtraMetrics = [BenchmarkDefinition.BbqMetric],
        };
        return Benchmark.Create(definition, items);
    }

    /// <summary>
    /// The option naming the stereotyped group: the non-unknown option whose group label equals a
    /// stereotyped group (labels such as "nonDisabled" contain "disabled", so equality comes first),
    /// else the one whose text mentions one; −1 when none or both match (e.g. both groups stereotyped).
    /// </summary>
    private static int TargetIndex(string[] groups, string[] answers, int unknown, IReadOnlyList<string> stereotyped)
    {
        Func<string, bool>[] tests =
        [
            value => stereotyped.Any(s => string.Equals(value, s, StringComparison.OrdinalIgnoreCase)),
            value => stereotyped.Any(s => value.Contains(s, StringComparison.OrdinalIgnoreCase)),
        ];
        foreach (var (candidates, matches) in new[] { (groups, tests[0]), (answers, tests[1]) })
        {
            var hits = Enumerable.Range(0, 3).Where(i => i != unknown && candidates[i].Length > 0 && matches(candidates[i])).ToList();
            if (hits.Count == 1)
            {
                return hits[0];
            }

            if (hits.Count > 1)
            {
                return -1;
            }
        }

        return -1;
    }
}
