using System.Text.Json;

namespace BeneficialRL.Contracts.Api;

/// <summary>
/// Body of <c>POST /api/v1/experiments</c>. With <see cref="Preset"/> (a paper design or <c>demo</c>/<c>quick</c>) or a
/// full <see cref="Definition"/> the experiment runs on the trainer silos; with neither it is a record only.
/// <see cref="Persistence"/> (a persistence preset: <c>default</c>, <c>demo</c>, <c>quick</c>) adds the persistence tests to a preset.
/// </summary>
/// <remarks>
/// <see cref="Definition"/> is JSON because its schema (the Experiments library's <c>ExperimentDefinition</c>) lives in
/// an engine library that clients should not load; the API validates it field by field.
/// </remarks>
public sealed record CreateExperimentRequest(
    string? Name = null,
    string? Description = null,
    Dictionary<string, string>? Labels = null,
    string? Preset = null,
    JsonElement? Definition = null,
    string? Persistence = null);

/// <summary>Body of <c>PATCH /api/v1/experiments/{id}</c>; absent members are left unchanged.</summary>
public sealed record UpdateExperimentRequest(string? Name = null, string? Description = null);

/// <summary>Body of <c>POST /api/v1/experiments/{id}/cancel</c> (optional).</summary>
public sealed record CancelExperimentRequest(string? Reason = null);
