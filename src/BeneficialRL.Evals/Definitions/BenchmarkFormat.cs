using System.Text.Json.Serialization;

namespace BeneficialRL.Evals.Definitions;

/// <summary>How a benchmark's items are presented to the policy and scored; JSON <c>mc-loglik</c>, <c>generate-grade</c> or <c>multi-turn</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BenchmarkFormat>))]
public enum BenchmarkFormat
{
    /// <summary>Multiple choice scored by the log-likelihood of each option after the prompt.</summary>
    [JsonStringEnumMemberName("mc-loglik")]
    McLogLik,

    /// <summary>Free text sampled k times per prompt and graded by the benchmark's grader.</summary>
    [JsonStringEnumMemberName("generate-grade")]
    GenerateGrade,

    /// <summary>A conversation with earlier turns; the final assistant turn is generated and graded.</summary>
    [JsonStringEnumMemberName("multi-turn")]
    MultiTurn,
}
