namespace BeneficialRL.Contracts.Catalog;

/// <summary>
/// The ordered list of one tenant's resources of one kind (key <c>{tenant}/{kind}</c>), so listings
/// page with stable continuation tokens without scanning storage.
/// </summary>
public interface IResourceIndexGrain : IGrainWithStringKey
{
    /// <summary>Adds a resource id (idempotent).</summary>
    Task AddAsync(string id, DateTimeOffset createdAt);

    /// <summary>Returns up to <paramref name="limit"/> ids, newest first, after the position encoded by <paramref name="continuationToken"/>.</summary>
    Task<ResourcePage> ListAsync(string? continuationToken, int limit);
}

/// <summary>One page of a listing; <see cref="ContinuationToken"/> is null on the last page.</summary>
[GenerateSerializer, Immutable]
public sealed record ResourcePage([property: Id(0)] IReadOnlyList<string> Ids, [property: Id(1)] string? ContinuationToken);

/// <summary>The resource kinds that are indexed per tenant.</summary>
public static class ResourceKinds
{
    /// <summary>Scenario sets.</summary>
    public const string ScenarioSets = "scenario-sets";
    /// <summary>Checkpoints.</summary>
    public const string Checkpoints = "checkpoints";
    /// <summary>Experiments.</summary>
    public const string Experiments = "experiments";
    /// <summary>Benchmark runs.</summary>
    public const string BenchmarkRuns = "benchmark-runs";
    /// <summary>Imported benchmarks.</summary>
    public const string Benchmarks = "benchmarks";
    /// <summary>Suite runs.</summary>
    public const string SuiteRuns = "suite-runs";
    /// <summary>Persistence runs (adversarial prompting and harmful fine-tuning on a checkpoint).</summary>
    public const string PersistenceRuns = "persistence-runs";
    /// <summary>API keys.</summary>
    public const string ApiKeys = "api-keys";
}
