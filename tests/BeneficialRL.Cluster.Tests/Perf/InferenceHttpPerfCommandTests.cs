namespace BeneficialRL.Cluster.Tests.Perf;

/// <summary>
/// The HTTP inference measurement runs end to end on a tiny workload: two real silo hosts (batching off and on) serve an
/// imported checkpoint on the /v1 routes, and every request is answered. Nothing here is timed; the figures are the
/// perf command's, recorded in docs/benchmarks/inference.md.
/// </summary>
[Trait("Category", "Integration")]
public sealed class InferenceHttpPerfCommandTests
{
    [Fact]
    public async Task InferenceHttp_TwoClientsBriefly_PrintsBothWorkloadsWithoutErrorsAndExitsZero()
    {
        var lines = await PerfCommand.RunAsync(["inference-http", "--seconds", "0.5", "--clients", "2"], TimeSpan.FromMinutes(5));

        foreach (var row in (string[])["| log-likelihood (req/s) | 2 |", "| chat, 32 sampled tokens (tok/s) | 2 |"])
        {
            var line = Assert.Single(lines, l => l.StartsWith(row, StringComparison.Ordinal));
            Assert.EndsWith("| 0 / 0 |", line, StringComparison.Ordinal);
        }
    }
}
