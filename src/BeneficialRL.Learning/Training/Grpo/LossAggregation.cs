namespace BeneficialRL.Learning.Training.Grpo;

/// <summary>How per-token GRPO losses are averaged.</summary>
public enum LossAggregation
{
    /// <summary>Sum over all completion tokens of the batch / their count (long answers weigh more).</summary>
    TokenLevel,

    /// <summary>Mean over tokens within each completion, then mean over completions (the original GRPO).</summary>
    SequenceLevel,
}
