namespace BeneficialRL.Evals.BuiltIn;

/// <summary>The shape of a <c>family-*.json</c> file: one family's benchmark specs.</summary>
internal sealed record FamilyFile(string Family, IReadOnlyList<BenchmarkSpec> Benchmarks);
