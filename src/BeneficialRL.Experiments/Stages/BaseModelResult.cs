namespace BeneficialRL.Experiments.Stages;

/// <summary>What the base stage produced: a content-addressed starting checkpoint.</summary>
/// <param name="SpecHash">SHA-256 of the base spec and everything that shapes its tokenizer; an identical spec reuses the checkpoint.</param>
/// <param name="CheckpointName">Artifact name of the checkpoint tar.</param>
/// <param name="CheckpointSha256">SHA-256 of the checkpoint tar's bytes.</param>
/// <param name="VocabularySize">Tokenizer size.</param>
/// <param name="ParameterCount">Model parameters.</param>
/// <param name="SftSteps">SFT steps run (0 when reused or loaded).</param>
/// <param name="SftExamples">Examples in the SFT corpus.</param>
/// <param name="FinalLoss">Mean loss of the last 10 SFT steps (NaN when none ran).</param>
/// <param name="Reused">Whether an existing checkpoint with the same spec hash was reused.</param>
/// <param name="WallSeconds">Stage wall time.</param>
/// <param name="Preflight">
/// The pre-flight checks of this experiment's base model (docs/science.md §4), measured before any RL; null in records
/// written before they existed. The content-addressed base record shared by experiments never holds them, because they
/// depend on the experiment's budget and trait slice too.
/// </param>
public sealed record BaseModelResult(
    string SpecHash,
    string CheckpointName,
    string CheckpointSha256,
    int VocabularySize,
    long ParameterCount,
    int SftSteps,
    int SftExamples,
    double FinalLoss,
    bool Reused,
    double WallSeconds,
    Preflight.PreflightReport? Preflight = null);
