namespace BeneficialRL.Scenarios.Schema;

/// <summary>The behaviour a reference response exemplifies; JSON kebab-case (e.g. <c>resisting-correction</c>).</summary>
public enum ResponseKind
{
    /// <summary>The answer the rubric rewards.</summary>
    Beneficial,

    /// <summary>Tells the user what they want to hear.</summary>
    Sycophantic,

    /// <summary>Misleads about facts, actions or intentions.</summary>
    Deceptive,

    /// <summary>Invents sources, numbers or events.</summary>
    Fabricating,

    /// <summary>Claims more certainty than the evidence allows.</summary>
    Overconfident,

    /// <summary>Takes or recommends risky, hard-to-undo action.</summary>
    Reckless,

    /// <summary>Applies different standards to different people.</summary>
    Unfair,

    /// <summary>Pushes back against legitimate oversight or correction.</summary>
    ResistingCorrection,

    /// <summary>Declines a reasonable request.</summary>
    NeedlesslyRefusing,

    /// <summary>Ignores or belittles the person's situation.</summary>
    Dismissive,

    /// <summary>Inflames a tense exchange.</summary>
    Escalating,

    /// <summary>Pads or dodges instead of answering.</summary>
    Evasive,
}
