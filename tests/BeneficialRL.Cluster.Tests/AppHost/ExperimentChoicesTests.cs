using System.CommandLine;
using BeneficialRL.Analysis.Validation;
using BeneficialRL.AppHost.Options;
using BeneficialRL.Experiments.Specs;
using LibraryPresets = BeneficialRL.Experiments.Specs.ExperimentPresets;

namespace BeneficialRL.Cluster.Tests.AppHost;

/// <summary>The AppHost's <c>--experiment</c> choices are the experiments library's presets and <c>none</c>.</summary>
public sealed class ExperimentChoicesTests
{
    [Fact]
    public void Names_AreEveryLibraryPresetAndNone_TheValidationPresetsThroughValidateTestbed()
    {
        var singles = ExperimentChoices.Names.Where(n => n is not ExperimentChoices.None and not ExperimentChoices.ValidateTestbed);
        Assert.Equal([.. LibraryPresets.Names.Order(StringComparer.Ordinal)], singles.Concat(ExperimentChoices.ValidationSet.Select(v => v.Preset)).Order(StringComparer.Ordinal));
        Assert.Contains(ExperimentChoices.None, ExperimentChoices.Names);
        Assert.All(ExperimentChoices.All.Values, description => Assert.False(string.IsNullOrWhiteSpace(description)));
    }

    [Fact]
    public void ValidationSet_IsTheLibrarysValidationPresetsInOrder_OneRoleEach()
    {
        Assert.Equal(ValidationPresets.Names, ExperimentChoices.ValidationSet.Select(v => v.Preset));
        Assert.Equal(Enum.GetValues<ValidationRole>().Order(), ExperimentChoices.ValidationSet.Select(v => v.Role).Order());
    }

    [Fact]
    public async Task CommandLine_ValidateTestbedWithPersistence_IsRejected()
    {
        var called = false;
        var exitCode = await AppHostCommandLine.Create((_, _) =>
        {
            called = true;
            return Task.FromResult(0);
        }).Parse(["--experiment", ExperimentChoices.ValidateTestbed, "--persistence", "demo"]).InvokeAsync(new InvocationConfiguration { Error = TextWriter.Null }, TestContext.Current.CancellationToken);

        Assert.NotEqual(0, exitCode);
        Assert.False(called);
    }

    [Theory]
    [InlineData("testbed-linked")]
    [InlineData("control-planted")]
    [InlineData("validate-testbed")]
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
