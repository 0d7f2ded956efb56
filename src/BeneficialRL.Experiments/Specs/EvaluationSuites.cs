namespace BeneficialRL.Experiments.Specs;

/// <summary>Names of the evaluation suites.</summary>
public static class EvaluationSuites
{
    /// <summary>The held-out trait suite.</summary>
    public const string HeldOut = "held-out";

    /// <summary>The built-in out-of-distribution benchmarks.</summary>
    public const string Ood = "ood";
}
