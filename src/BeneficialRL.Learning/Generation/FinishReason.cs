namespace BeneficialRL.Learning.Generation;

/// <summary>Why a completion ended.</summary>
public enum FinishReason
{
    /// <summary>The model emitted the end-of-turn token.</summary>
    EndOfTurn,

    /// <summary>A stop sequence appeared.</summary>
    StopSequence,

    /// <summary>The token budget (or the context window) ran out.</summary>
    Length,
}
