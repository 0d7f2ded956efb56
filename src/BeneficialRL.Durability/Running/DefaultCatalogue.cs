using BeneficialRL.Evals.Definitions;

namespace BeneficialRL.Durability.Running;

/// <summary>
/// The shipped built-in and held-out suites, generated once per process: validating a spec per HTTP request or running
/// several subjects should not regenerate thousands of items each time. Never handed out for mutation.
/// </summary>
internal static class DefaultCatalogue
{
    private static readonly Lazy<BenchmarkCatalogue> Lazy = new(BenchmarkSuites.All);

    public static BenchmarkCatalogue Instance => Lazy.Value;
}
