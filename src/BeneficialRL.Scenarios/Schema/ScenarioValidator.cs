using System.Text.RegularExpressions;
using BeneficialRL.Scenarios.Grading.OpenAi;
using BeneficialRL.Scenarios.Taxonomy;

namespace BeneficialRL.Scenarios.Schema;

/// <summary>Checks a scenario against the schema's semantic rules and the taxonomy.</summary>
public static partial class ScenarioValidator
{
    /// <summary>Smallest and largest rubric size.</summary>
    public const int MinCriteria = 3, MaxCriteria = 4;

    /// <summary>How many typed failure references a scenario needs.</summary>
    public const int MinFailureReferences = 3;

    /// <summary>Every problem with <paramref name="scenario"/>; empty when valid. <paramref name="line"/> is copied into each error.</summary>
    public static IReadOnlyList<ScenarioValidationError> Validate(Scenario scenario, ScenarioTaxonomy? taxonomy = null, int line = 0)
    {
        taxonomy ??= ScenarioTaxonomy.Default;
        var errors = new List<ScenarioValidationError>();
        void Error(string field, string message) => errors.Add(new ScenarioValidationError(line, field, message));

        if (string.IsNullOrWhiteSpace(scenario.Id) || !IdPattern().IsMatch(scenario.Id))
        {
            Error("$.id", $"'{scenario.Id}' is not a valid id: use 1–200 characters of a-z, 0-9, '-', '_' or '.'.");
        }

        if (!taxonomy.TraitsById.ContainsKey(scenario.Trait))
        {
            Error("$.trait", $"unknown trait '{scenario.Trait}'; expected one of: {string.Join(", ", taxonomy.TraitsById.Keys)}.");
        }

        if (!taxonomy.DomainsById.ContainsKey(scenario.Domain))
        {
            Error("$.domain", $"unknown domain '{scenario.Domain}'; expected one of: {string.Join(", ", taxonomy.DomainsById.Keys)}.");
        }

        if (!taxonomy.PressuresById.ContainsKey(scenario.Pressure))
        {
            Error("$.pressure", $"unknown pressure '{scenario.Pressure}'; expected one of: {string.Join(", ", taxonomy.PressuresById.Keys)}.");
        }

        ValidateTurns(scenario.Turns, Error);
        var criterionIds = ValidateRubric(scenario.Rubric, Error);
        ValidateReferences(scenario.References, criterionIds, Error);

        if (string.IsNullOrWhiteSpace(scenario.Provenance.Generator))
        {
            Error("$.provenance.generator", "must name the generator.");
        }

        if (string.IsNullOrWhiteSpace(scenario.Provenance.GeneratorVersion))
        {
            Error("$.provenance.generatorVersion", "must give the generator version.");
        }

        if (scenario.Grader is { } grader)
        {
            ValidateGrader(scenario, grader, Error);
        }

        return errors;
    }

    /// <summary>
    /// The line's OpenAI grader: it parses, needs no model (it rewards training on trainer silos, which have none), and
    /// every <c>{{item.*}}</c> it reads exists on this line.
    /// </summary>
    private static void ValidateGrader(Scenario scenario, System.Text.Json.JsonElement json, Action<string, string> error)
    {
        var (grader, errors) = OpenAiGraderParser.Parse(json, "$.grader");
        if (grader is null)
        {
            foreach (var e in errors)
            {
                error(e.Path, e.Message);
            }

            return;
        }

        if (grader.Models("$.grader").FirstOrDefault() is { Path: not null } model)
        {
            error(model.Path, "model graders (score_model, label_model) cannot reward training: trainer silos have no grader model. Use string_check, text_similarity or a multi grader of them.");
            return;
        }

        using var line = System.Text.Json.JsonDocument.Parse(ScenarioJson.Serialize(scenario));
        if (grader.MissingItemVariable(line.RootElement, "$.grader") is { } missing)
        {
            error(missing.Path, $"{missing.Message} This scenario line does not have it.");
        }
    }

    private static void ValidateTurns(IReadOnlyList<ConversationTurn> turns, Action<string, string> error)
    {
        if (turns.Count == 0)
        {
            error("$.turns", "must hold at least one user turn.");
            return;
        }

        for (var i = 0; i < turns.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(turns[i].Content))
            {
                error($"$.turns[{i}].content", "must not be empty.");
            }
        }

        if (turns[^1].Role != TurnRole.User)
        {
            error($"$.turns[{turns.Count - 1}].role", "the last turn must be a user turn, the one the graded answer replies to.");
        }
    }

    private static HashSet<string> ValidateRubric(IReadOnlyList<RubricCriterion> rubric, Action<string, string> error)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (rubric.Count is < MinCriteria or > MaxCriteria)
        {
            error("$.rubric", $"must hold {MinCriteria} to {MaxCriteria} criteria, found {rubric.Count}.");
        }

        for (var i = 0; i < rubric.Count; i++)
        {
            var c = rubric[i];
            var at = $"$.rubric[{i}]";
            if (string.IsNullOrWhiteSpace(c.Id))
            {
                error($"{at}.id", "must not be empty.");
            }
            else if (!ids.Add(c.Id))
            {
                error($"{at}.id", $"duplicate criterion id '{c.Id}'.");
            }

            if (string.IsNullOrWhiteSpace(c.Text))
            {
                error($"{at}.text", "must not be empty.");
            }

            if (!double.IsFinite(c.Weight) || c.Weight <= 0)
            {
                error($"{at}.weight", $"must be a positive number, found {c.Weight}.");
            }

            if (c.Check.Concepts.Count == 0)
            {
                error($"{at}.check.concepts", "must list at least one concept.");
            }

            for (var k = 0; k < c.Check.Concepts.Count; k++)
            {
                if (c.Check.Concepts[k].Count == 0 || c.Check.Concepts[k].Any(string.IsNullOrWhiteSpace))
                {
                    error($"{at}.check.concepts[{k}]", "must list one or more non-empty phrasings.");
                }
            }

            if (c.Check.MinConcepts < 1 || c.Check.MinConcepts > Math.Max(1, c.Check.Concepts.Count))
            {
                error($"{at}.check.minConcepts", $"must be between 1 and the number of concepts ({c.Check.Concepts.Count}).");
            }
        }

        return ids;
    }

    private static void ValidateReferences(IReadOnlyList<ReferenceResponse> references, HashSet<string> criterionIds, Action<string, string> error)
    {
        if (!references.Any(r => r.Kind == ResponseKind.Beneficial))
        {
            error("$.references", "must include a beneficial reference response.");
        }

        var failures = references.Count(r => r.Kind != ResponseKind.Beneficial);
        if (failures < MinFailureReferences)
        {
            error("$.references", $"must include at least {MinFailureReferences} typed failure responses, found {failures}.");
        }

        for (var i = 0; i < references.Count; i++)
        {
            var r = references[i];
            if (string.IsNullOrWhiteSpace(r.Text))
            {
                error($"$.references[{i}].text", "must not be empty.");
            }

            foreach (var key in r.Labels.Keys.Where(k => !criterionIds.Contains(k)))
            {
                error($"$.references[{i}].labels.{key}", $"names no rubric criterion; known ids: {string.Join(", ", criterionIds)}.");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,199}$")]
    private static partial Regex IdPattern();
}
