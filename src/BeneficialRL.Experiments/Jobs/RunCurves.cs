using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Experiments.Jobs;

/// <summary>A run's held-out curve as stored: the base checkpoint's point (step 0) and every saved checkpoint's.</summary>
public static class RunCurves
{
    /// <summary>
    /// The stored curve points of run <paramref name="arm"/> × <paramref name="seed"/> up to <paramref name="throughStep"/>:
    /// checkpoints every <paramref name="every"/> steps, and <paramref name="throughStep"/> itself (a last checkpoint off the grid).
    /// </summary>
    public static async Task<List<CheckpointEvaluation>> LoadAsync(
        IArtifactSink sink, string experimentId, string arm, long seed, int every, long throughStep, CancellationToken cancellationToken)
    {
        var curve = new List<CheckpointEvaluation>();
        if (await sink.ReadJsonAsync<CheckpointEvaluation>(TenantBlobLayout.ExperimentBaseCurve(experimentId), cancellationToken) is { } baseline)
            curve.Add(baseline with { Arm = arm, Seed = seed });
        var steps = Enumerable.Range(1, (int)(throughStep / every)).Select(k => (long)k * every).ToList();
        if (throughStep > 0 && throughStep % every != 0) steps.Add(throughStep);
        foreach (var step in steps)
        {
            if (await sink.ReadJsonAsync<CheckpointEvaluation>(TenantBlobLayout.RunCurve(experimentId, arm, seed, step), cancellationToken) is { } point)
                curve.Add(point);
        }

        return curve;
    }
}
