namespace BeneficialRL.Contracts.ScenarioSets;

/// <summary>
/// A versioned scenario dataset (key <c>{tenant}/{setId}</c>). Each version is an immutable,
/// content-hashed JSONL blob that was fully validated before it was stored.
/// </summary>
public interface IScenarioSetGrain : IGrainWithStringKey
{
    /// <summary>Creates the set; fails with <see cref="Resources.ResourceAlreadyExistsException"/> if it exists.</summary>
    Task<ScenarioSetInfo> CreateAsync(string name, string? description);

    /// <summary>Returns the set, or null when it does not exist.</summary>
    Task<ScenarioSetInfo?> GetAsync();

    /// <summary>Changes name and description when <paramref name="expectedRevision"/> (if given) is current.</summary>
    Task<ScenarioSetInfo> UpdateAsync(string? name, string? description, long? expectedRevision);

    /// <summary>
    /// Records a stored version. A version with the same hash as an existing one is returned as is,
    /// so a retried upload never creates a second version.
    /// </summary>
    Task<ScenarioSetVersion> AddVersionAsync(NewScenarioSetVersion version);
}

/// <summary>The public view of a scenario set.</summary>
[GenerateSerializer, Immutable]
public sealed record ScenarioSetInfo
{
    /// <summary>Set id, unique within the tenant.</summary>
    [Id(0)] public required string Id { get; init; }
    /// <summary>Owning tenant.</summary>
    [Id(1)] public required string Tenant { get; init; }
    /// <summary>Display name.</summary>
    [Id(2)] public required string Name { get; init; }
    /// <summary>Optional description.</summary>
    [Id(3)] public string? Description { get; init; }
    /// <summary>Creation time.</summary>
    [Id(4)] public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Last change time.</summary>
    [Id(5)] public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Increments on every change; the HTTP ETag.</summary>
    [Id(6)] public required long Revision { get; init; }
    /// <summary>Versions, oldest first.</summary>
    [Id(7)] public required List<ScenarioSetVersion> Versions { get; init; }
}

/// <summary>One immutable version of a scenario set.</summary>
[GenerateSerializer, Immutable]
public sealed record ScenarioSetVersion
{
    /// <summary>1-based version number.</summary>
    [Id(0)] public required int Number { get; init; }
    /// <summary>Lowercase hex SHA-256 of the JSONL content: the version hash.</summary>
    [Id(1)] public required string Sha256 { get; init; }
    /// <summary>Where the JSONL is stored in the artifact store.</summary>
    [Id(2)] public required string BlobPath { get; init; }
    /// <summary>Number of scenarios.</summary>
    [Id(3)] public required int ItemCount { get; init; }
    /// <summary>Size of the JSONL in bytes.</summary>
    [Id(4)] public required long Bytes { get; init; }
    /// <summary>When the version was recorded.</summary>
    [Id(5)] public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Scenarios that carry their own OpenAI grader (0 for versions recorded before graders existed).</summary>
    [Id(6)] public int GradedCount { get; init; }
}

/// <summary>A version that has been validated and stored, to be recorded by the grain.</summary>
[GenerateSerializer, Immutable]
public sealed record NewScenarioSetVersion(
    [property: Id(0)] string Sha256,
    [property: Id(1)] string BlobPath,
    [property: Id(2)] int ItemCount,
    [property: Id(3)] long Bytes,
    [property: Id(4)] int GradedCount = 0);
