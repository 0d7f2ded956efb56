using BeneficialRL.Experiments.Stages;

namespace BeneficialRL.Experiments.Jobs;

/// <summary>Runs the body of the job a host hands over, chosen by its stage.</summary>
public static class ExperimentJobs
{
    /// <summary>Runs <see cref="IExperimentJobHost.Job"/>; returns the name of the artifact that records its result.</summary>
    public static Task<string> RunAsync(IExperimentJobHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Job.Stage switch
        {
            StageNames.BaseModel => BaseModelJob.RunAsync(host, cancellationToken),
            StageNames.Training => TrainingRunJob.RunAsync(host, cancellationToken),
            StageNames.Evaluation => EvaluationJob.RunAsync(host, cancellationToken),
            StageNames.Persistence => PersistenceJob.RunAsync(host, cancellationToken),
            StageNames.Report => ReportJob.RunAsync(host, cancellationToken),
            _ => throw new NotSupportedException($"Job '{host.Job.Name}' belongs to stage '{host.Job.Stage}', which this version does not run."),
        };
    }
}
