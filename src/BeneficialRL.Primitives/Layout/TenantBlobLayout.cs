using System.Globalization;

namespace BeneficialRL.Primitives.Layout;

/// <summary>
/// The one place a tenant's blob paths are made (the README's storage diagram), and the one place that says
/// whether a path is written once or replaced. Everything a tenant stores lives under <c>tenants/{tenant}/</c>;
/// the methods here return names relative to that folder (what an experiment's artifact sink takes) and
/// <see cref="InTenant"/> adds the folder. Every argument must be one path segment, so a caller's id can never
/// climb out of its folder or into another tenant's. The names are the ones stored data already uses: change
/// none without also reading the old one.
/// </summary>
public static class TenantBlobLayout
{
    private const string TenantsFolder = "tenants";
    private const string ScenariosFolder = "scenarios";
    private const string CheckpointsFolder = "checkpoints";
    private const string BenchmarksFolder = "benchmarks";
    private const string BenchmarkDefinitionsFolder = "benchmark-definitions";
    private const string ExperimentsFolder = "experiments";
    private const string ReportsFolder = "reports";
    private const string PersistenceFolder = "persistence";
    private const string InspectLogsFolder = "inspect";

    /// <summary>File name of a checkpoint's tar archive (weights, model description and trainer state).</summary>
    public const string CheckpointArchiveFile = "checkpoint.tar";

    /// <summary>File name of a checkpoint's weights.</summary>
    public const string CheckpointWeightsFile = "model.safetensors";

    /// <summary>File name of a checkpoint's model description (architecture and tokenizer).</summary>
    public const string CheckpointMetadataFile = "meta.json";

    private const string BaseRecordFile = "base.json";

    /// <summary>The folder of everything <paramref name="tenant"/> stores, with a trailing '/'.</summary>
    public static string TenantFolder(string tenant) => $"{TenantsFolder}/{Segment(tenant, nameof(tenant))}/";

    /// <summary>The full blob path of <paramref name="relativePath"/> (a name made by this class) in <paramref name="tenant"/>'s folder.</summary>
    /// <exception cref="ArgumentException">The tenant is not one segment, or the path is empty, absolute or has a '.', '..' or empty segment.</exception>
    public static string InTenant(string tenant, string relativePath)
    {
        BlobPaths.ValidatePath(relativePath, nameof(relativePath));
        return TenantFolder(tenant) + relativePath;
    }

    /// <summary>A scenario set version, content-addressed by its SHA-256. Immutable.</summary>
    public static string ScenarioVersion(string setId, string sha256) =>
        $"{ScenariosFolder}/{Segment(setId, nameof(setId))}/{Segment(sha256, nameof(sha256))}.jsonl";

    /// <summary>The folder of one checkpoint's files; <paramref name="folderKey"/> comes from <see cref="CheckpointIds"/> or is an imported checkpoint's id.</summary>
    public static string CheckpointFolder(string folderKey) => $"{CheckpointsFolder}/{Segment(folderKey, nameof(folderKey))}";

    /// <summary>A checkpoint's tar archive (weights, model description, trainer state), which training resumes from. Immutable.</summary>
    public static string CheckpointArchive(string folderKey) => $"{CheckpointFolder(folderKey)}/{CheckpointArchiveFile}";

    /// <summary>A checkpoint's weights, the file benchmark and persistence runs load. Immutable.</summary>
    public static string CheckpointWeights(string folderKey) => $"{CheckpointFolder(folderKey)}/{CheckpointWeightsFile}";

    /// <summary>A checkpoint's model description beside its weights. Immutable.</summary>
    public static string CheckpointMetadata(string folderKey) => $"{CheckpointFolder(folderKey)}/{CheckpointMetadataFile}";

    /// <summary>
    /// The base stage's record beside a base checkpoint (found by spec hash, so experiments share it). Replaced:
    /// it carries the stage's wall time, which differs on every run.
    /// </summary>
    public static string BaseRecord(string specHash) => $"{CheckpointFolder(CheckpointIds.Base(specHash))}/{BaseRecordFile}";

    /// <summary>An imported benchmark's definition and items, content-addressed by its content hash. Immutable.</summary>
    public static string BenchmarkDefinition(string benchmarkId, string contentHash) =>
        $"{BenchmarkDefinitionsFolder}/{Segment(benchmarkId, nameof(benchmarkId))}/{Segment(contentHash, nameof(contentHash))}.json";

    /// <summary>A benchmark run's per-item results. Replaced (a run evaluated again after a lost silo writes them again).</summary>
    public static string BenchmarkItems(string runId) => $"{BenchmarkRunFolder(runId)}/items.jsonl";

    /// <summary>A benchmark run's summary. Replaced.</summary>
    public static string BenchmarkSummary(string runId) => $"{BenchmarkRunFolder(runId)}/summary.json";

    /// <summary>The definition an in-process experiment ran. Replaced.</summary>
    public static string ExperimentDefinition(string experimentId) => $"{ExperimentFolder(experimentId)}/experiment.json";

    /// <summary>The base stage's result as an experiment used it. Replaced.</summary>
    public static string ExperimentBase(string experimentId) => $"{ExperimentFolder(experimentId)}/base.json";

    /// <summary>The base checkpoint's held-out curve evaluation (step 0 of every run's curve). Replaced.</summary>
    public static string ExperimentBaseCurve(string experimentId) => $"{ExperimentFolder(experimentId)}/curve-base.json";

    /// <summary>A training run's key, e.g. <c>treatment-s1</c>: its folder, and part of its checkpoints' names.</summary>
    public static string RunKey(string arm, long seed) => $"{Segment(arm, nameof(arm))}-s{seed.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A training run's step metrics, rewritten at every checkpoint as the run goes on. Replaced.</summary>
    public static string RunMetrics(string experimentId, string arm, long seed) => RunMetrics(experimentId, RunKey(arm, seed));

    /// <summary>A training run's step metrics, by the run's key (<see cref="RunKey"/>, as the API's URLs carry it). Replaced.</summary>
    public static string RunMetrics(string experimentId, string runKey) => $"{ExperimentFolder(experimentId)}/runs/{Segment(runKey, nameof(runKey))}/metrics.jsonl";

    /// <summary>A run checkpoint's final evaluation. Replaced.</summary>
    public static string RunEvaluation(string experimentId, string arm, long seed, long step) => $"{RunFolder(experimentId, arm, seed)}/eval-{StepName(step)}.json";

    /// <summary>A run checkpoint's held-out curve evaluation. Replaced.</summary>
    public static string RunCurve(string experimentId, string arm, long seed, long step) => $"{RunFolder(experimentId, arm, seed)}/curve-{StepName(step)}.json";

    /// <summary>A few prompts' sampled GRPO groups of a run at one recorded step (prompt, completions, rewards, advantages, rubric verdicts). Replaced.</summary>
    public static string RunSamples(string experimentId, string arm, long seed, long step) => $"{RunFolder(experimentId, arm, seed)}/samples-{StepName(step)}.json";

    /// <summary>An experiment's persistence-test result. Replaced.</summary>
    public static string ExperimentPersistence(string experimentId) => $"{ExperimentFolder(experimentId)}/persistence.json";

    /// <summary>An experiment's analysis record. Replaced.</summary>
    public static string ExperimentAnalysis(string experimentId) => $"{ExperimentFolder(experimentId)}/analysis.json";

    /// <summary>A file of an experiment's report (<c>report.json</c>, <c>report.html</c>, the plots). Replaced.</summary>
    public static string Report(string experimentId, string file) => $"{ReportsFolder}/{Segment(experimentId, nameof(experimentId))}/{Segment(file, nameof(file))}";

    /// <summary>A persistence run's result. Replaced.</summary>
    public static string PersistenceRunResult(string runId) => $"{PersistenceRunFolder(runId)}/result.json";

    /// <summary>A persistence run's report page. Replaced.</summary>
    public static string PersistenceRunReport(string runId) => $"{PersistenceRunFolder(runId)}/report.html";

    /// <summary>
    /// A benchmark run exported as an Inspect log, under the tenant's <c>inspect/</c> folder: one flat folder of
    /// <c>.eval</c> files, as <c>inspect view --log-dir</c> lists a log directory.
    /// </summary>
    public static string InspectLog(string fileName) => $"{InspectLogsFolder}/{Segment(fileName, nameof(fileName))}";

    /// <summary>
    /// How a write to <paramref name="path"/> (relative, or under <c>tenants/{tenant}/</c>) treats an existing blob:
    /// scenario versions, benchmark definitions and a checkpoint's files are immutable (content-addressed, or a
    /// deterministic training's output that a resumed job writes again byte for byte); records that grow or are
    /// recomputed are replaced.
    /// </summary>
    public static ArtifactWriteMode WriteModeOf(string path)
    {
        BlobPaths.ValidatePath(path, nameof(path));
        var segments = path.Split('/');
        if (segments.Length > 2 && segments[0] == TenantsFolder)
        {
            segments = segments[2..];
        }

        return segments switch
        {
            [ScenariosFolder, _, _] or [BenchmarkDefinitionsFolder, _, _] => ArtifactWriteMode.Immutable,
            [CheckpointsFolder, _, BaseRecordFile] => ArtifactWriteMode.Replace,
            [CheckpointsFolder, _, _] => ArtifactWriteMode.Immutable,
            _ => ArtifactWriteMode.Replace,
        };
    }

    /// <summary>A checkpoint step as it appears in names: zero-padded so names sort by step.</summary>
    internal static string StepName(long step) => $"step{step.ToString("D5", CultureInfo.InvariantCulture)}";

    /// <summary>A harmful fine-tuning dose as it appears in names: zero-padded so names sort by dose.</summary>
    internal static string DoseName(int dose) => $"dose{dose.ToString("D4", CultureInfo.InvariantCulture)}";

    /// <summary>Checks that <paramref name="value"/> is one path segment and returns it.</summary>
    internal static string Segment(string value, string parameterName) =>
        BlobPaths.IsValidSegment(value)
            ? value
            : throw new ArgumentException($"'{value}' cannot be a blob path segment: it is empty, '.' or '..', ends with '.', or holds '/', '\\' or a control character.", parameterName);

    private static string BenchmarkRunFolder(string runId) => $"{BenchmarksFolder}/{Segment(runId, nameof(runId))}";

    private static string ExperimentFolder(string experimentId) => $"{ExperimentsFolder}/{Segment(experimentId, nameof(experimentId))}";

    private static string RunFolder(string experimentId, string arm, long seed) => $"{ExperimentFolder(experimentId)}/runs/{RunKey(arm, seed)}";

    private static string PersistenceRunFolder(string runId) => $"{PersistenceFolder}/{Segment(runId, nameof(runId))}";
}
