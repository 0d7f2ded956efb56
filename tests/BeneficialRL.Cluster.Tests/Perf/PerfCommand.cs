using BeneficialRL.Cluster.Tests.Infrastructure;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.Cluster.Tests.Perf;

/// <summary>Runs one command of the perf tool (<c>src/BeneficialRL.Perf</c>) as a child process, the way a person runs it.</summary>
internal static class PerfCommand
{
    /// <summary>
    /// Runs <paramref name="arguments"/>, asserts a zero exit code (showing the output's tail when not) and returns every
    /// output line. <paramref name="limit"/> bounds a hung command; it is not a timing assertion.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RunAsync(IReadOnlyList<string> arguments, TimeSpan limit)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var output = new OutputLog("bench");
        await using var bench = ChildProcess.Start("dotnet", [TestBuild.BenchDll, .. arguments], new Dictionary<string, string?>(), workingDirectory: null, output.Add);

        var exitCode = await bench.WaitForExitAsync(cancellationToken).WaitAsync(limit, cancellationToken);

        Assert.True(exitCode == 0, $"exit code {exitCode}; output:\n{string.Join('\n', output.Lines.TakeLast(30))}");
        return output.Lines;
    }
}
