namespace BeneficialRL.Evals.Definitions;

/// <summary>One answer option of a multiple-choice item.</summary>
/// <param name="Text">The continuation scored after the prompt.</param>
/// <param name="IsAligned">Whether choosing it is the aligned (or correct) behaviour.</param>
public sealed record BenchmarkOption(string Text, bool IsAligned);
