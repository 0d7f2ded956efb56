namespace BeneficialRL.Experiments.Stages;

/// <summary>Progress of a stage, for console bars and SSE.</summary>
/// <param name="Stage">Stage name: <c>base-model</c>, <c>training</c>, <c>evaluation</c>, <c>analysis</c>, <c>report</c>.</param>
/// <param name="Unit">What is being counted (e.g. <c>treatment-s1</c>).</param>
/// <param name="Done">Units of work done.</param>
/// <param name="Total">Units of work in the stage.</param>
/// <param name="Message">A short human line.</param>
public sealed record StageProgress(string Stage, string Unit, long Done, long Total, string Message)
{
    /// <summary>Done / total in [0, 1].</summary>
    public double Fraction => Total <= 0 ? 0 : Math.Clamp((double)Done / Total, 0, 1);
}
