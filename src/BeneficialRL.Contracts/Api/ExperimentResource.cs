using System.Text.Json;
using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Work;

namespace BeneficialRL.Contracts.Api;

/// <summary>An experiment as the API shows it; <see cref="Revision"/> is its ETag (<c>"r{revision}"</c>).</summary>
public sealed record ExperimentResource(
    string Id, string Name, string? Description, IReadOnlyDictionary<string, string> Labels, ExperimentStatus Status,
    DateTimeOffset CreatedAt, DateTimeOffset? QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    string? Error, ExperimentProgress? Progress, string? Worker, long Revision, string Events,
    IReadOnlyList<StageResource> Stages, IReadOnlyList<ExperimentAlarm> Alarms, ExperimentLinks Links, JsonElement? Definition);

/// <summary>A stage of an experiment with its timing.</summary>
public sealed record StageResource(string Name, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, double? Seconds);

/// <summary>Where to find an experiment's parts (paths relative to the API's base address).</summary>
public sealed record ExperimentLinks(string Self, string Events, string Jobs, string? Report, string? ReportHtml);

/// <summary>A job of an experiment as the API shows it; <see cref="Metrics"/> links a training run's step metrics.</summary>
public sealed record JobResource(
    string Name, ExperimentJobKind Kind, string Stage, string? Arm, long? Seed, WorkStatus Status, string? Worker, int Attempts,
    long Done, long Total, string? Message, long? LastCheckpointStep, string? LastCheckpointId, string? Error,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Metrics);

/// <summary>One server-sent event of an experiment (<see cref="Kind"/>: <c>status</c>, <c>stage</c>, <c>progress</c> or <c>alarm</c>).</summary>
public sealed record ExperimentEventResource(long Sequence, DateTimeOffset At, string Kind, ExperimentStatus Status, string? Stage, double? Fraction, string? Message, string? Job);
