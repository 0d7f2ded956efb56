namespace BeneficialRL.Durability.Running;

/// <summary>Progress of a persistence run, for console bars and server-sent events.</summary>
/// <param name="Phase"><c>adversarial</c>, <c>fine-tuning</c> or <c>analysis</c>.</param>
/// <param name="Subject">The checkpoint being worked on (empty during analysis).</param>
/// <param name="Done">Units done in this phase for this subject.</param>
/// <param name="Total">Units in this phase for this subject.</param>
/// <param name="Message">A short human line.</param>
public sealed record PersistenceProgress(string Phase, string Subject, int Done, int Total, string Message)
{
    /// <summary>Phase name of the adversarial prompting evaluation.</summary>
    public const string Adversarial = "adversarial";

    /// <summary>Phase name of the harmful fine-tuning dose ladder.</summary>
    public const string FineTuning = "fine-tuning";

    /// <summary>Phase name of the statistics across subjects.</summary>
    public const string Analysis = "analysis";
}
