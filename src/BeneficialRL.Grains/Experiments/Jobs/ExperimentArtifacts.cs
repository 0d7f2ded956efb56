using System.Globalization;
using BeneficialRL.Experiments.Artifacts;

namespace BeneficialRL.Grains.Experiments.Jobs;

/// <summary>Artifact names the grains add to the engine's layout (<see cref="ArtifactNames"/>).</summary>
public static class ExperimentArtifacts
{
    /// <summary>The base stage's result as this experiment used it.</summary>
    public static string Base(string experimentId) => $"experiments/{experimentId}/base.json";

    /// <summary>The base checkpoint's held-out curve evaluation (step 0 of every run).</summary>
    public static string BaseCurve(string experimentId) => $"experiments/{experimentId}/curve-base.json";

    /// <summary>A run checkpoint's held-out curve evaluation.</summary>
    public static string Curve(string experimentId, string arm, long seed, long step) =>
        $"experiments/{experimentId}/runs/{ArtifactNames.RunKey(arm, seed)}/curve-step{step.ToString("D5", CultureInfo.InvariantCulture)}.json";

    /// <summary>The folder of a checkpoint's files (tar with trainer state, safetensors, meta.json).</summary>
    public static string CheckpointFolder(string checkpointName) => checkpointName[..checkpointName.LastIndexOf('/')];

    /// <summary>The checkpoint resource id of a run's checkpoint at a step.</summary>
    public static string RunCheckpointId(string experimentId, string arm, long seed, long step)
    {
        var id = $"{experimentId}-{ArtifactNames.RunKey(arm, seed)}-step{step.ToString("D5", CultureInfo.InvariantCulture)}";
        // Arm names are free text; the id falls back to a hash of them when they would not make a valid id.
        return Contracts.Resources.ResourceKey.IsValidId(id) ? id : $"{experimentId}-{BeneficialRL.Experiments.Specs.ExperimentJson.HashText(arm)[..8]}-s{seed}-step{step.ToString("D5", CultureInfo.InvariantCulture)}";
    }

    /// <summary>The checkpoint resource id of a base checkpoint.</summary>
    public static string BaseCheckpointId(string specHash) => $"base-{specHash}";
}
