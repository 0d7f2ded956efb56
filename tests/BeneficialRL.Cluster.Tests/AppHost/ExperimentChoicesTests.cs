using BeneficialRL.AppHost.Options;
using LibraryPresets = BeneficialRL.Experiments.Specs.ExperimentPresets;

namespace BeneficialRL.Cluster.Tests.AppHost;

/// <summary>The AppHost's <c>--experiment</c> choices are the experiments library's presets and <c>none</c>.</summary>
public sealed class ExperimentChoicesTests
{
    [Fact]
    public void Names_AreEveryLibraryPresetAndNone()
    {
        Assert.Equal([.. LibraryPresets.Names.Order(StringComparer.Ordinal)], ExperimentChoices.Names.Where(n => n != ExperimentChoices.None).Order(StringComparer.Ordinal));
        Assert.Contains(ExperimentChoices.None, ExperimentChoices.Names);
        Assert.All(ExperimentChoices.All.Values, description => Assert.False(string.IsNullOrWhiteSpace(description)));
    }

    [Theory]
    [InlineData("testbed-linked")]
    [InlineData("control-planted")]
    [InlineData("none")]
    public async Task CommandLine_EveryChoice_IsAccepted(string name)
    {
        AppHostOptions? parsed = null;
        var exitCode = await AppHostCommandLine.Create((options, _) =>
        {
            parsed = options;
            return Task.FromResult(0);
        }).Parse(["--experiment", name]).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0, exitCode);
        Assert.Equal(name, parsed?.Experiment);
    }
}
