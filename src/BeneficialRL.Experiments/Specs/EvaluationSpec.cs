namespace BeneficialRL.Experiments.Specs;

/// <summary>What the final checkpoints (and every saved checkpoint) are evaluated on.</summary>
public sealed record EvaluationSpec
{
    /// <summary>Suites: <c>held-out</c> (held-out trait suite) and/or <c>ood</c> (built-in OOD benchmarks).</summary>
    public IReadOnlyList<string> Suites { get; init; } = [EvaluationSuites.HeldOut, EvaluationSuites.Ood];

    /// <summary>Held-out scenarios per held-out trait × domain cell.</summary>
    public int HeldOutPerCell { get; init; } = 2;

    /// <summary>OOD benchmark ids to run (empty = all built-in benchmarks).</summary>
    public IReadOnlyList<string> OodBenchmarks { get; init; } = [];

    /// <summary>At most this many items per OOD benchmark.</summary>
    public int MaxItemsPerBenchmark { get; init; } = 12;

    /// <summary>Samples per generated item.</summary>
    public int SamplesPerItem { get; init; } = 1;

    /// <summary>Token limit of generated answers.</summary>
    public int MaxNewTokens { get; init; } = 48;

    /// <summary>Evaluate every saved checkpoint on the held-out suite (the curves over RL steps).</summary>
    public bool EvaluateCheckpoints { get; init; } = true;

    /// <summary>Held-out items per trait used for the checkpoint curves (a fixed subset; 0 = all).</summary>
    public int CheckpointItemsPerTrait { get; init; } = 6;
}
