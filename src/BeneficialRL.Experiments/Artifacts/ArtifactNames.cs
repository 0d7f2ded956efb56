using System.Globalization;

namespace BeneficialRL.Experiments.Artifacts;

/// <summary>The artifact layout (DESIGN.md's suggested blob layout).</summary>
public static class ArtifactNames
{
    /// <summary>The experiment's definition.</summary>
    public static string Definition(string experimentId) => $"experiments/{experimentId}/experiment.json";

    /// <summary>A base checkpoint, content-addressed by its spec hash.</summary>
    public static string BaseCheckpoint(string specHash) => $"checkpoints/base-{specHash}/checkpoint.tar";

    /// <summary>The base stage's record beside its checkpoint.</summary>
    public static string BaseRecord(string specHash) => $"checkpoints/base-{specHash}/base.json";

    /// <summary>A run's folder key, e.g. <c>treatment-s1</c>.</summary>
    public static string RunKey(string arm, long seed) => $"{arm}-s{seed.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A run's step metrics.</summary>
    public static string Metrics(string experimentId, string arm, long seed) => $"experiments/{experimentId}/runs/{RunKey(arm, seed)}/metrics.jsonl";

    /// <summary>A run's checkpoint at a step.</summary>
    public static string RunCheckpoint(string experimentId, string arm, long seed, long step) =>
        $"checkpoints/{experimentId}-{RunKey(arm, seed)}-step{step.ToString("D5", CultureInfo.InvariantCulture)}/checkpoint.tar";

    /// <summary>A checkpoint's evaluation.</summary>
    public static string Evaluation(string experimentId, string arm, long seed, long step) =>
        $"experiments/{experimentId}/runs/{RunKey(arm, seed)}/eval-step{step.ToString("D5", CultureInfo.InvariantCulture)}.json";

    /// <summary>The persistence tests' result.</summary>
    public static string Persistence(string experimentId) => $"experiments/{experimentId}/persistence.json";

    /// <summary>A harmful fine-tuning dose checkpoint of a persistence subject.</summary>
    public static string DoseCheckpoint(string experimentId, string subject, int dose) =>
        $"checkpoints/{experimentId}-{subject}-dose{dose.ToString("D4", CultureInfo.InvariantCulture)}/checkpoint.tar";

    /// <summary>The analysis record.</summary>
    public static string Analysis(string experimentId) => $"experiments/{experimentId}/analysis.json";

    /// <summary>The report folder.</summary>
    public static string Report(string experimentId, string file) => $"reports/{experimentId}/{file}";
}
