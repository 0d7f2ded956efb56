using BeneficialRL.Evals.Definitions;

namespace BeneficialRL.Durability.Running;

/// <summary>
/// The shipped built-in and held-out suites, generated once per process: validating a spec per HTTP request or running
/// several subjects should not regenerate thousands of items each time. Never handed out for mutation.
/// </summary>
public static class DefaultCatalogue
{
    private static readonly Lazy<BenchmarkCatalogue> Lazy = new(BenchmarkSuites.All);

    /// <summary>The built-in and held-out suites.</summary>
    public static BenchmarkCatalogue Instance => Lazy.Value;
}
