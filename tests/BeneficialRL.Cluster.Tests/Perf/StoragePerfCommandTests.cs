namespace BeneficialRL.Cluster.Tests.Perf;

/// <summary>
/// The storage benchmark command runs end to end on a small workload: it measures the grain-state provider the silos
/// use, so a provider or state-format change that breaks it shows here, not months later when someone reruns it (the
/// switch to the official provider and Orleans' binary state format did exactly that). Nothing here is timed.
/// </summary>
[Trait("Category", "Integration")]
public sealed class StoragePerfCommandTests
{
    [Fact]
    public async Task StorageBenchmark_SmallWorkload_PrintsEveryRowAndExitsZero()
    {
        var lines = await PerfCommand.RunAsync(["storage", "--ops", "10", "--grains", "2", "--per-grain", "3", "--size-mib", "1"], TimeSpan.FromMinutes(3));

        foreach (var row in (string[])["| grain state write (sequential", "| grain state read (sequential", "| grain state write+read round trip (2 grains concurrently)", "| artifact upload", "| artifact download", "| artifact content-addressed put"])
        {
            Assert.Contains(lines, line => line.StartsWith(row, StringComparison.Ordinal));
        }
    }
}
