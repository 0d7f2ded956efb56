namespace BeneficialRL.AppHost.Options;

/// <summary>What the command line asked the AppHost to run.</summary>
public sealed record AppHostOptions
{
    /// <summary>Default HTTP port of the API silo.</summary>
    public const int DefaultApiPort = 5080;

    /// <summary>Most trainer silos one machine is expected to host next to the API silo.</summary>
    public const int MaxTrainers = 16;

    /// <summary>Most trainer silos the default (<see cref="DefaultTrainers"/>) starts.</summary>
    public const int MaxDefaultTrainers = 4;

    /// <summary>
    /// Trainer silos to start next to the API silo. 0: one silo with both roles; 1 or more: one <c>api</c> silo and this
    /// many <c>trainer</c> silos, each running libtorch on its share of the cores (<see cref="TorchThreadsPerTrainer"/>).
    /// </summary>
    public required int Trainers { get; init; }

    /// <summary>
    /// The default of <c>--trainers</c>: one trainer silo per core, up to <see cref="MaxDefaultTrainers"/>, on a machine
    /// of two cores or more (a stage's jobs then run side by side, one per trainer; on two cores the demo's training runs
    /// took as long on one thread as on two, see docs/benchmarks/experiments.md); one silo with both roles on one core.
    /// </summary>
    public static int DefaultTrainers(int cores) => cores < 2 ? 0 : Math.Min(cores, MaxDefaultTrainers);

    /// <summary>
    /// libtorch threads for each of <paramref name="trainers"/> trainer silos sharing <paramref name="cores"/> cores: an
    /// equal share, at least one; 0 (one per core) when one silo has both roles.
    /// </summary>
    public static int TorchThreadsPerTrainer(int cores, int trainers) => trainers == 0 ? 0 : Math.Max(1, cores / trainers);

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
