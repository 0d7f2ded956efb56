using BeneficialRL.SiloHost.Http;
using BeneficialRL.Storage.Artifacts;
using Microsoft.Extensions.Options;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>What the API handlers depend on, bound with <c>[AsParameters]</c>.</summary>
public sealed record ApiServices(IGrainFactory Grains, IArtifactStore Artifacts, IOptions<ApiOptions> Options, ILoggerFactory Logging);

/// <summary>Blob paths of tenant-owned artifacts: everything a tenant stores lives under its own prefix.</summary>
public static class TenantPaths
{
    /// <summary>Where a scenario set version with content hash <paramref name="sha256"/> is stored.</summary>
    public static string ScenarioVersion(string tenant, string setId, string sha256) => $"tenants/{tenant}/scenarios/{setId}/{sha256}.jsonl";

    /// <summary>Where a checkpoint's weights are stored.</summary>
    public static string CheckpointWeights(string tenant, string checkpointId) => $"tenants/{tenant}/checkpoints/{checkpointId}/model.safetensors";

    /// <summary>Where a checkpoint's model description (architecture and tokenizer) is stored.</summary>
    public static string CheckpointModelMetadata(string tenant, string checkpointId) => $"tenants/{tenant}/checkpoints/{checkpointId}/meta.json";

    /// <summary>Where a benchmark run's per-item results are stored.</summary>
    public static string BenchmarkItems(string tenant, string runId) => $"tenants/{tenant}/benchmarks/{runId}/items.jsonl";
}
