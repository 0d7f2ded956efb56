using System.Text.Json;

namespace BeneficialRL.Contracts.Api;

/// <summary>A benchmark with a preview of its items.</summary>
/// <remarks>
/// The definition and items are JSON: their schema (<c>BenchmarkDefinition</c>, <c>BenchmarkItem</c>) belongs to the
/// Benchmarks library, which clients should not load.
/// </remarks>
public sealed record BenchmarkResource(JsonElement Definition, bool Imported, IReadOnlyList<JsonElement> SampleItems);
