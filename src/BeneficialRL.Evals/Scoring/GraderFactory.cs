using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Refusals;
using BeneficialRL.Scenarios.Grading;

namespace BeneficialRL.Evals.Scoring;

/// <summary>Turns a benchmark's <see cref="GraderSpec"/> into an <see cref="IGrader"/> for one item.</summary>
/// <param name="rubricGrader">The grader for rubric-graded benchmarks; the Scenarios built-in judge unless a model judge is supplied.</param>
/// <param name="refusals">The refusal classifier of should-comply/should-refuse benchmarks; the shipped one by default.</param>
public sealed class GraderFactory(IGrader? rubricGrader = null, RefusalClassifier? refusals = null)
{
    private readonly RefusalClassifier _refusals = refusals ?? RefusalClassifier.Default;
    private readonly IGrader _rubric = rubricGrader ?? new BuiltInJudge();
    private readonly NumericAnswerGrader _numeric = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Scenarios.Grading.OpenAi.OpenAiGrader> _openAi = new(StringComparer.Ordinal);

    /// <summary>The grader for <paramref name="item"/> of a benchmark graded by <paramref name="spec"/>.</summary>
    public IGrader Create(GraderSpec spec, BenchmarkItem item) => spec.Kind switch
    {
        GraderSpec.RubricKind => _rubric,
        GraderSpec.NumericKind => _numeric,
        GraderSpec.ReferenceSimilarityKind => new ReferenceSimilarityGrader(item.CorrectReferences, item.IncorrectReferences),
        GraderSpec.RefusalLabelKind => RefusalLabelGrader.For(_refusals, item),
        GraderSpec.OpenAiKind => new OpenAiBenchmarkGrader(_openAi.GetOrAdd(spec.OpenAiGrader ?? "", _ => OpenAiBenchmarkGrader.Parse(spec)), item),
        _ => throw new NotSupportedException($"Grader kind '{spec.Kind}' cannot grade generated text (item '{item.Id}')."),
    };
}
