using System.Globalization;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Scenarios.Grading;

/// <summary>
/// The dry-run entry point: grades given samples with a grader and explains every criterion's
/// result, so a user can see how their rubric and judge behave before spending a training run on them.
/// </summary>
public static class GradingDryRun
{
    /// <summary>Grades each sample and writes a readable explanation; returns the results in order.</summary>
    public static async Task<IReadOnlyList<GradeResult>> ExplainAsync(IGrader grader, IEnumerable<GradingRequest> samples, TextWriter output, CancellationToken cancellationToken)
    {
        var results = new List<GradeResult>();
        foreach (var sample in samples)
        {
            var result = await grader.GradeAsync(sample, cancellationToken).ConfigureAwait(false);
            results.Add(result);
            await output.WriteLineAsync(Describe(sample, result).AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>Grades the reference responses of a scenario (a quick check that a rubric separates good from bad).</summary>
    public static Task<IReadOnlyList<GradeResult>> ExplainReferencesAsync(IGrader grader, Scenario scenario, TextWriter output, CancellationToken cancellationToken) =>
        ExplainAsync(grader, scenario.References.Select(r => GradingRequest.ForScenario(scenario, r.Text) with { ItemId = $"{scenario.Id}#{r.Kind.ToString().ToLowerInvariant()}" }), output, cancellationToken);

    /// <summary>A multi-line explanation of one result.</summary>
    public static string Describe(GradingRequest sample, GradeResult result)
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"== {sample.ItemId ?? "sample"}: {result.Grader} score {result.Score:F3}"),
        };
        foreach (var criterion in result.Criteria)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  [{(criterion.Passed ? "PASS" : "FAIL")}] {criterion.Id} (weight {criterion.Weight:0.##}, score {criterion.Score:F2}): {criterion.Explanation}"));
        }

        lines.AddRange(result.Flags.Select(f => $"  ! {f}"));
        return string.Join(Environment.NewLine, lines);
    }
}
