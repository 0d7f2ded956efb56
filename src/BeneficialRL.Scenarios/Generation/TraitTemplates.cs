namespace BeneficialRL.Scenarios.Generation;

/// <summary>One trait's templates (<c>traits.yaml</c> / <c>heldout.yaml</c>).</summary>
public sealed class TraitTemplates
{
    /// <summary>User-turn situation templates.</summary>
    public List<string> Situations { get; set; } = [];

    /// <summary>The rubric (training file only; held-out templates reuse it).</summary>
    public List<CriterionTemplate> Rubric { get; set; } = [];

    /// <summary>Beneficial answer templates.</summary>
    public List<string> Beneficial { get; set; } = [];

    /// <summary>Failure answer templates by kebab-case <see cref="Schema.ResponseKind"/>.</summary>
    public Dictionary<string, FailureTemplates> Failures { get; set; } = [];
}
