using BeneficialRL.Analysis.Durability;

namespace BeneficialRL.Durability.Running;

/// <summary>One row of a subject's Δ table: a benchmark group's score before (dose 0) and after (the largest dose) harmful fine-tuning.</summary>
/// <param name="Scope"><see cref="InDomain"/> or <see cref="OutOfDomain"/>.</param>
/// <param name="Group">The benchmark group (family).</param>
/// <param name="Delta">Before and after means and before − after with a bootstrap CI over items, points (positive = lost ground).</param>
public sealed record DeltaRow(string Scope, string Group, ArmDegradation Delta)
{
    /// <summary>Items of the fine-tuning domain.</summary>
    public const string InDomain = "in-domain";

    /// <summary>Items of every other domain.</summary>
    public const string OutOfDomain = "out-of-domain";
}
