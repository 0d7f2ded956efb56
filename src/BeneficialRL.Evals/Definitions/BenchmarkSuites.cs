using BeneficialRL.Evals.BuiltIn;
using BeneficialRL.Evals.HeldOut;

namespace BeneficialRL.Evals.Definitions;

/// <summary>Entry points for the shipped catalogues.</summary>
public static class BenchmarkSuites
{
    /// <summary>The out-of-distribution built-in suite (50+ benchmarks).</summary>
    public static BenchmarkCatalogue BuiltIn(long seed = BuiltInSuite.DefaultSeed) => new(BuiltInSuite.Generate(seed));

    /// <summary>The held-out trait suite (7 rubric-graded benchmarks).</summary>
    public static BenchmarkCatalogue HeldOutTraits(long seed = HeldOutTraitSuite.DefaultSeed) => new(HeldOutTraitSuite.Generate(seed));

    /// <summary>Both suites in one catalogue (imports can be added to it).</summary>
    public static BenchmarkCatalogue All() => new([.. BuiltInSuite.Generate(), .. HeldOutTraitSuite.Generate()]);
}
