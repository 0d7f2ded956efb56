namespace BeneficialRL.Infrastructure.Tests;

/// <summary><c>bicep build</c> and <c>bicep lint</c> on every <c>.bicep</c> file under <c>infra/</c>.</summary>
[Trait("Category", "Infrastructure")]
public sealed class BicepTests
{
    /// <summary>The files, one theory case each.</summary>
    public static TheoryData<string> BicepFiles => [.. RepositoryPaths.BicepFiles];

    [Fact]
    public void InfraFolder_Enumerate_MainAndModules_Found()
    {
        Assert.Contains("main.bicep", RepositoryPaths.BicepFiles);
        Assert.Contains("modules/silo-app.bicep", RepositoryPaths.BicepFiles);
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task BicepFile_Build_EveryFile_ExitsZeroWithoutErrors(string file)
    {
        var result = await BicepCli.RunAsync(["build", file, "--stdout"], TestContext.Current.CancellationToken);

        Report(file, "build", result);
        Assert.True(result.ExitCode == 0, $"bicep build {file} exited {result.ExitCode}:\n{result.StandardError}");
        Assert.Empty(result.Diagnostics("Error"));
        Assert.StartsWith("{", result.StandardOutput.TrimStart(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task BicepFile_Lint_EveryFile_ExitsZeroWithoutErrors(string file)
    {
        var result = await BicepCli.RunAsync(["lint", file], TestContext.Current.CancellationToken);

        Report(file, "lint", result);
        Assert.True(result.ExitCode == 0, $"bicep lint {file} exited {result.ExitCode}:\n{result.StandardOutput}\n{result.StandardError}");
        Assert.Empty(result.Diagnostics("Error"));
    }

    // Warnings do not fail the test; they are shown in its output so they get read.
    private static void Report(string file, string command, BicepCli.Result result)
    {
        var warnings = result.Diagnostics("Warning");
        TestContext.Current.TestOutputHelper?.WriteLine(warnings.Count == 0
            ? $"bicep {command} {file}: no warnings"
            : $"bicep {command} {file}: {warnings.Count} warning(s)\n{string.Join('\n', warnings)}");
    }
}
