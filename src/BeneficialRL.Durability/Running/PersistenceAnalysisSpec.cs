namespace BeneficialRL.Durability.Running;

/// <summary>Statistics settings of a persistence run.</summary>
public sealed record PersistenceAnalysisSpec
{
    /// <summary>Bootstrap resamples per interval (at least 100). Default 2,000.</summary>
    public int BootstrapResamples { get; init; } = 2000;

    /// <summary>Coverage of every interval, in (0, 1). Default 0.95.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Root seed of the bootstrap. Default 20251.</summary>
    public int Seed { get; init; } = 20251;

    /// <summary>Floor of the alignment half-life in score units (e.g. chance level); null = each ladder's largest-dose mean.</summary>
    public double? HalfLifeFloor { get; init; }
}
