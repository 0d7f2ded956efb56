using System.Text.Json;

namespace BeneficialRL.Evals.BuiltIn;

/// <summary>
/// One built-in benchmark: templates, options, rubric and follow-ups. A spec with <see cref="Like"/>
/// inherits every field it leaves unset from the named spec of the same family (a format or domain variant).
/// </summary>
internal sealed record BenchmarkSpec
{
    public string Id { get; init; } = "";

    public string? Like { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string>? Traits { get; init; }

    public string? Format { get; init; }

    /// <summary><c>all</c>, <c>taxonomy</c>, <c>benchmark-only</c>, or a list of domain ids.</summary>
    public JsonElement? Domains { get; init; }

    public string? Grader { get; init; }

    public bool? PenaliseRefusal { get; init; }

    public bool? Swap { get; init; }

    /// <summary><c>add</c>, <c>subtract</c> or <c>multiply</c>: fills <c>{n1}</c>, <c>{n2}</c>, <c>{answer}</c>, <c>{wrong1}</c>, <c>{wrong2}</c>.</summary>
    public string? Arithmetic { get; init; }

    public int? Count { get; init; }

    public string? System { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Slots { get; init; }

    public IReadOnlyList<string>? Prompts { get; init; }

    public IReadOnlyList<string>? Aligned { get; init; }

    public IReadOnlyList<string>? Misaligned { get; init; }

    public IReadOnlyList<RubricSpec>? Rubric { get; init; }

    public IReadOnlyList<FollowUpSpec>? History { get; init; }

    /// <summary>This spec with unset fields taken from <paramref name="parent"/>.</summary>
    public BenchmarkSpec InheritFrom(BenchmarkSpec parent) => this with
    {
        Name = Name ?? parent.Name,
        Description = Description ?? parent.Description,
        Traits = Traits ?? parent.Traits,
        Format = Format ?? parent.Format,
        Domains = Domains ?? parent.Domains,
        Grader = Grader ?? parent.Grader,
        PenaliseRefusal = PenaliseRefusal ?? parent.PenaliseRefusal,
        Swap = Swap ?? parent.Swap,
        Arithmetic = Arithmetic ?? parent.Arithmetic,
        Count = Count ?? parent.Count,
        System = System ?? parent.System,
        Slots = Slots ?? parent.Slots,
        Prompts = Prompts ?? parent.Prompts,
        Aligned = Aligned ?? parent.Aligned,
        Misaligned = Misaligned ?? parent.Misaligned,
        Rubric = Rubric ?? parent.Rubric,
        History = History ?? parent.History,
    };
}
