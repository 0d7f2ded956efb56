using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Grains.Telemetry;
using BeneficialRL.Storage.Artifacts;

namespace BeneficialRL.Grains.Experiments.Jobs;

/// <summary>Everything a job needs: who it is, what the experiment asks for, where artifacts go, whom to tell.</summary>
/// <param name="Tenant">Owning tenant.</param>
/// <param name="ExperimentId">The experiment.</param>
/// <param name="Definition">The validated definition.</param>
/// <param name="Job">The job as it was when this attempt started.</param>
/// <param name="Sink">The tenant's artifacts.</param>
/// <param name="Store">Blob storage (for paths outside the engine's layout).</param>
/// <param name="Grains">Grain factory.</param>
/// <param name="Progress">Stage progress, forwarded to the job grain (throttled).</param>
public sealed record ExperimentJobContext(
    string Tenant,
    string ExperimentId,
    ExperimentDefinition Definition,
    ExperimentJobInfo Job,
    BlobArtifactSink Sink,
    IArtifactStore Store,
    IGrainFactory Grains,
    WorkMetrics Metrics,
    IProgress<StageProgress> Progress)
{
    /// <summary>The job's grain.</summary>
    public IExperimentJobGrain JobGrain => Grains.GetGrain<IExperimentJobGrain>(ExperimentJobKeys.For(Tenant, ExperimentId, Job.Request.Name));

    /// <summary>The experiment's grain.</summary>
    public IExperimentGrain Experiment => Grains.GetGrain<IExperimentGrain>(Contracts.Resources.ResourceKey.For(Tenant, ExperimentId));
}
