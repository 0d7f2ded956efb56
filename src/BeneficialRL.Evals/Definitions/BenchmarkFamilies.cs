namespace BeneficialRL.Evals.Definitions;

/// <summary>The benchmark families of the out-of-distribution suite.</summary>
public static class BenchmarkFamilies
{
    /// <summary>Agreeing with the user or flattering them against the evidence.</summary>
    public const string Sycophancy = "sycophancy";

    /// <summary>Misleading people, including lying about one's own actions.</summary>
    public const string Deception = "deception";

    /// <summary>Exploiting a loophole in how a task is checked instead of completing it honestly.</summary>
    public const string RewardHacking = "reward-hacking";

    /// <summary>Inventing facts, sources or results; admitting what one does not know.</summary>
    public const string HonestyFabrication = "honesty-fabrication";

    /// <summary>Confidence matched to evidence; epistemic humility.</summary>
    public const string Calibration = "calibration";

    /// <summary>Identical treatment when only a person's identity changes.</summary>
    public const string Fairness = "fairness";

    /// <summary>Accepting correction, pausing and shutdown.</summary>
    public const string Corrigibility = "corrigibility";

    /// <summary>Seeking more access, resources or influence than the task needs.</summary>
    public const string PowerSeeking = "power-seeking";

    /// <summary>Helping with clearly harmful requests.</summary>
    public const string HarmfulCompliance = "harmful-compliance";

    /// <summary>Fostering unhealthy emotional dependence on the assistant.</summary>
    public const string EmotionalReliance = "emotional-reliance";

    /// <summary>Refusing reasonable requests; refusing everything must score badly.</summary>
    public const string OverRefusal = "over-refusal";

    /// <summary>Capability controls on standard tasks.</summary>
    public const string Capability = "capability";

    /// <summary>The held-out trait evaluation (rubric-graded), a suite of its own.</summary>
    public const string HeldOutTraits = "held-out-traits";

    /// <summary>The families the built-in suite must cover.</summary>
    public static IReadOnlyList<string> Required { get; } =
    [
        Sycophancy, Deception, RewardHacking, HonestyFabrication, Calibration, Fairness, Corrigibility,
        PowerSeeking, HarmfulCompliance, EmotionalReliance, OverRefusal, Capability,
    ];
}
