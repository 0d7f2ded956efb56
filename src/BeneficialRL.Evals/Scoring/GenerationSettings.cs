namespace BeneficialRL.Evals.Scoring;

/// <summary>Sampling settings for generated responses.</summary>
/// <param name="MaxNewTokens">Upper bound on generated tokens per response.</param>
/// <param name="Temperature">Sampling temperature (0 = greedy).</param>
/// <param name="TopP">Nucleus sampling mass.</param>
/// <param name="Seed">Seed of the sampler, so a run is reproducible.</param>
public sealed record GenerationSettings(int MaxNewTokens = 160, double Temperature = 0.8, double TopP = 0.95, long Seed = 1234);
