namespace BeneficialRL.Experiments.Jobs;

/// <summary>One job of an experiment's plan: a unit of work a host runs, retries and resumes as a whole.</summary>
/// <param name="Name">Unique within the experiment, e.g. <c>train.treatment-s1</c>; hosts key their records by it.</param>
/// <param name="Stage">The stage it belongs to (<see cref="Stages.StageNames"/>); it also says which job body runs.</param>
/// <param name="Arm">Arm, for training runs and evaluations.</param>
/// <param name="Seed">Seed, for training runs and evaluations.</param>
public sealed record ExperimentJobSpec(string Name, string Stage, string? Arm = null, long? Seed = null)
{
    /// <summary>The arm, or a clear error for a job of a stage that needs one.</summary>
    public string RequireArm() => Arm ?? throw new InvalidDataException($"Job '{Name}' names no arm.");

    /// <summary>The seed, or a clear error for a job of a stage that needs one.</summary>
    public long RequireSeed() => Seed ?? throw new InvalidDataException($"Job '{Name}' names no seed.");
}
