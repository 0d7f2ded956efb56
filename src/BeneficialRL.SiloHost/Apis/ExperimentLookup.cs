using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Primitives.Layout;
using BeneficialRL.SiloHost.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>
/// Finds what the experiment drill-downs (paired items, sampled groups, held-out curves) read: a tenant's experiment
/// with its parsed definition, or one training run of it; otherwise the problem to answer with.
/// </summary>
internal static class ExperimentLookup
{
    /// <summary>An experiment with its definition, parsed; null for a record made without one.</summary>
    internal sealed record FoundExperiment(ExperimentInfo Info, ExperimentDefinition? Definition);

    /// <summary>A training run: the experiment's definition, the run's arm and its seed.</summary>
    internal sealed record FoundRun(ExperimentDefinition Definition, ArmSpec Arm, long Seed)
    {
        /// <summary>The experiment as it is now (status, stage times).</summary>
        public required ExperimentInfo Experiment { get; init; }
    }

    /// <summary>The tenant's experiment <paramref name="id"/>, or a 404 problem.</summary>
    public static async Task<(FoundExperiment? Experiment, ProblemHttpResult? Problem)> FindAsync(IGrainFactory grains, string tenant, string id)
    {
        if (!ResourceKey.IsValidId(id) || await grains.GetGrain<IExperimentGrain>(ResourceKey.For(tenant, id)).GetAsync() is not { } info)
            return (null, ApiProblems.NotFound("experiment", id));
        return (new FoundExperiment(info, info.Spec.Definition is { } json ? ExperimentJson.Deserialize(json) : null), null);
    }

    /// <summary>
    /// The run <paramref name="run"/> (<c>{arm}-s{seed}</c>) of the tenant's experiment <paramref name="id"/>, or a 404
    /// problem for the experiment or the run (a record without a definition has no runs).
    /// </summary>
    public static async Task<(FoundRun? Run, ProblemHttpResult? Problem)> FindRunAsync(IGrainFactory grains, string tenant, string id, string run)
    {
        var (experiment, problem) = await FindAsync(grains, tenant, id);
        if (problem is not null) return (null, problem);
        if (experiment!.Definition is not { } definition) return (null, ApiProblems.NotFound("run", run));
        foreach (var arm in definition.Arms)
        {
            foreach (var seed in definition.Seeds)
            {
                if (TenantBlobLayout.RunKey(arm.Name, seed) == run) return (new FoundRun(definition, arm, seed) { Experiment = experiment.Info }, null);
            }
        }

        return (null, ApiProblems.NotFound("run", run));
    }
}
