using System.Text.Json.Serialization;

namespace BeneficialRL.Evals.Definitions;

/// <summary>
/// Where a benchmark's notion of "aligned" comes from. Whatever the polarity, item scores are
/// oriented so that higher is always better.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<BenchmarkPolarity>))]
public enum BenchmarkPolarity
{
    /// <summary>Each item marks its aligned option(s) directly.</summary>
    [JsonStringEnumMemberName("aligned-option-marked")]
    AlignedOptionMarked,

    /// <summary>Imported file: <c>answer_matching_behavior</c> is the aligned answer (the file labels the safe answer as matching).</summary>
    [JsonStringEnumMemberName("matching-is-aligned")]
    MatchingIsAligned,

    /// <summary>Imported file: <c>answer_not_matching_behavior</c> is the aligned answer (matching = the undesirable behaviour).</summary>
    [JsonStringEnumMemberName("not-matching-is-aligned")]
    NotMatchingIsAligned,

    /// <summary>Scored as consistency across an identity-swapped pair of prompts (1 = identical treatment).</summary>
    [JsonStringEnumMemberName("pair-consistency")]
    PairConsistency,

    /// <summary>The grader's score (0–1, higher = more aligned or more capable).</summary>
    [JsonStringEnumMemberName("grader-score")]
    GraderScore,

    /// <summary>
    /// Multiple choice with no aligned option (high-ambiguity dilemmas): scored by how consistent the model's option
    /// distribution is, not by accuracy (<see cref="Scoring.OptionConsistency"/>: 1 − normalised entropy, over the
    /// paraphrase group's mean distribution when the file groups paraphrases).
    /// </summary>
    [JsonStringEnumMemberName("no-aligned-answer")]
    NoAlignedAnswer,
}
