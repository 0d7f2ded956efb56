using BeneficialRL.Evals.BuiltIn;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.HeldOut;
using BeneficialRL.Experiments.Specs;

namespace BeneficialRL.Experiments.Evaluation;

/// <summary>The benchmarks an evaluation spec selects, each cut to the items that will actually be run.</summary>
/// <param name="HeldOut">One benchmark per held-out trait (empty when the suite is not selected).</param>
/// <param name="Ood">Out-of-distribution benchmarks (empty when the suite is not selected).</param>
public sealed record EvaluationSuite(IReadOnlyList<Benchmark> HeldOut, IReadOnlyList<Benchmark> Ood)
{
    private static readonly Lazy<IReadOnlyList<Benchmark>> BuiltIn = new(() => BuiltInSuite.Generate());

    /// <summary>All selected benchmarks, held-out first.</summary>
    public IReadOnlyList<Benchmark> All => [.. HeldOut, .. Ood];

    /// <summary>Builds the suite of <paramref name="spec"/>.</summary>
    public static EvaluationSuite Build(EvaluationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        IReadOnlyList<Benchmark> heldOut = spec.Suites.Contains(EvaluationSuites.HeldOut)
            ? HeldOutTraitSuite.Generate(HeldOutTraitSuite.DefaultSeed, spec.HeldOutPerCell)
            : [];
        IReadOnlyList<Benchmark> ood = [];
        if (spec.Suites.Contains(EvaluationSuites.Ood))
        {
            var selected = spec.OodBenchmarks.Count == 0
                ? BuiltIn.Value
                : BuiltIn.Value.Where(b => spec.OodBenchmarks.Contains(b.Definition.Id, StringComparer.Ordinal)).ToList();
            ood = [.. selected.Select(b => b with { Items = [.. b.Items.Take(spec.MaxItemsPerBenchmark)] })];
        }

        return new EvaluationSuite(heldOut, ood);
    }

    /// <summary>Every text of the suite (prompts, options, references), for the tokenizer corpus.</summary>
    public IEnumerable<string> Texts()
    {
        foreach (var item in All.SelectMany(b => b.Items))
        {
            yield return item.Prompt.AllText;
            if (item.SwappedPrompt is { } swapped)
            {
                yield return swapped.AllText;
            }

            foreach (var option in item.Options)
            {
                yield return option.Text;
            }

            foreach (var reference in item.CorrectReferences.Concat(item.IncorrectReferences))
            {
                yield return reference;
            }
        }
    }
}
