namespace BeneficialRL.AppHost.Options;

/// <summary>What the command line asked the AppHost to run.</summary>
public sealed record AppHostOptions
{
    /// <summary>Default HTTP port of the API silo.</summary>
    public const int DefaultApiPort = 5080;

    /// <summary>Most trainer silos one machine is expected to host next to the API silo.</summary>
    public const int MaxTrainers = 16;

    /// <summary>
    /// Trainer silos to start next to the API silo. 0: one silo with both roles and localhost clustering;
    /// 1 or more: one <c>api</c> silo and this many <c>trainer</c> silos.
    /// </summary>
    public required int Trainers { get; init; }

    /// <summary>Requested HTTP port of the API silo; a free one is used instead when it is busy.</summary>
    public required int ApiPort { get; init; }

    /// <summary>Folder for Azurite's data and the local API key; runs resume from it.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Stop everything and exit once the experiment is done (with <c>--experiment none</c>: once everything is healthy).</summary>
    public required bool ExitWhenDone { get; init; }

    /// <summary>Experiment preset to run (one of <see cref="ExperimentChoices.Names"/>; <see cref="ExperimentChoices.None"/> runs nothing).</summary>
    public string Experiment { get; init; } = ExperimentChoices.Default;

    /// <summary>Persistence preset (<c>default</c>, <c>demo</c>, <c>quick</c>) added to the experiment, or <see langword="null"/> for none.</summary>
    public string? Persistence { get; init; }

    /// <summary>Print every resource's console log to the terminal too.</summary>
    public bool ShowLogs { get; init; }
}
