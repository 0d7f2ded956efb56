using System.Text.Json.Serialization;

namespace BeneficialRL.Evals.BuiltIn;

/// <summary>One rubric criterion with the built-in judge's concept phrasings.</summary>
internal sealed record RubricSpec(string Id, string Text, string Polarity, IReadOnlyList<IReadOnlyList<string>> Concepts, [property: JsonPropertyName("min_concepts")] int MinConcepts = 1);
