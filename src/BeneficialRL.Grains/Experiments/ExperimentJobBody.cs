using BeneficialRL.Experiments.Jobs;

namespace BeneficialRL.Grains.Experiments;

/// <summary>
/// The work of one experiment job, given its host. Production registers <see cref="ExperimentJobs.RunAsync"/>; the
/// grain tests register scripted job news instead, so the experiment and job grains' stage path runs for real without
/// the tensor work.
/// </summary>
public delegate Task<string> ExperimentJobBody(IExperimentJobHost host, CancellationToken cancellationToken);
