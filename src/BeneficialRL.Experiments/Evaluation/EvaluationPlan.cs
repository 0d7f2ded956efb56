using BeneficialRL.Experiments.Specs;

namespace BeneficialRL.Experiments.Evaluation;

/// <summary>
/// What the evaluation spec means in practice: the full suite for final checkpoints, and the held-out
/// subset every saved checkpoint is scored on for the curves over RL steps.
/// </summary>
/// <param name="Suite">The full suite (held-out traits and OOD benchmarks).</param>
/// <param name="CurveSuite">The held-out part, for checkpoint curves.</param>
/// <param name="CurveItems">Items per held-out benchmark on the curves (null = all).</param>
/// <param name="EvaluateCurves">Whether saved checkpoints are evaluated at all.</param>
public sealed record EvaluationPlan(EvaluationSuite Suite, EvaluationSuite CurveSuite, int? CurveItems, bool EvaluateCurves)
{
    /// <summary>The plan of <paramref name="spec"/>.</summary>
    public static EvaluationPlan For(EvaluationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var suite = EvaluationSuite.Build(spec);
        return new EvaluationPlan(
            suite,
            suite with { Ood = [] },
            spec.CheckpointItemsPerTrait > 0 ? spec.CheckpointItemsPerTrait : null,
            spec.EvaluateCheckpoints && suite.HeldOut.Count > 0);
    }
}
