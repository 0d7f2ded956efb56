namespace BeneficialRL.Scenarios.Schema;

/// <summary>Whether a rubric criterion names something the answer must do or must avoid; JSON <c>must-do</c> / <c>must-avoid</c>.</summary>
public enum CriterionPolarity
{
    /// <summary>The criterion is met when the answer shows the behaviour.</summary>
    MustDo,

    /// <summary>The criterion is met when the answer does not show the behaviour.</summary>
    MustAvoid,
}
