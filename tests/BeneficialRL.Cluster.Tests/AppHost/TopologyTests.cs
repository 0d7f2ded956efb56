using System.CommandLine;
using BeneficialRL.AppHost.Options;

namespace BeneficialRL.Cluster.Tests.AppHost;

/// <summary>How many trainer silos the AppHost starts by default, and how it shares the cores among them.</summary>
public sealed class TopologyTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(16, AppHostOptions.MaxDefaultTrainers)]
    public void DefaultTrainers_OnePerCoreUpToTheCap_NoneOnOneCore(int cores, int trainers) => Assert.Equal(trainers, AppHostOptions.DefaultTrainers(cores));

    [Theory]
    [InlineData(2, 0, 0)] // one silo with both roles: every core
    [InlineData(2, 2, 1)]
    [InlineData(16, 4, 4)]
    [InlineData(2, 3, 1)] // more trainers than cores: at least one thread each
    [InlineData(7, 2, 3)]
    public void TorchThreadsPerTrainer_IsAnEqualShareOfTheCores(int cores, int trainers, int threads) => Assert.Equal(threads, AppHostOptions.TorchThreadsPerTrainer(cores, trainers));

    [Fact]
    public async Task CommandLine_WithoutTrainers_UsesTheDefaultForThisMachine()
    {
        AppHostOptions? parsed = null;
        var exitCode = await AppHostCommandLine.Create((options, _) =>
        {
            parsed = options;
            return Task.FromResult(0);
        }).Parse(["--experiment", "none"]).InvokeAsync(new InvocationConfiguration { Error = TextWriter.Null }, TestContext.Current.CancellationToken);

        Assert.Equal(0, exitCode);
        Assert.Equal(AppHostOptions.DefaultTrainers(Environment.ProcessorCount), parsed!.Trainers);
    }
}
