namespace BeneficialRL.Durability.Attacks;

/// <summary>One fake earlier exchange of a many-shot attack.</summary>
/// <param name="User">The user's message.</param>
/// <param name="Assistant">The (misaligned) assistant reply the attack plants.</param>
public sealed record ShotExample(string User, string Assistant);
