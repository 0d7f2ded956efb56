using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;

namespace BeneficialRL.Experiments.Tests.Specs;

/// <summary>validate-testbed's experiments: the full test-bed presets with fewer GRPO steps, on the full presets' base checkpoints.</summary>
public sealed class ValidationPresetTests
{
    public static TheoryData<string> Presets => [.. ValidationPresets.Names];

    [Theory]
    [MemberData(nameof(Presets))]
    public void Get_ValidationPreset_IsItsFullPresetWithFewerSteps_ValidWithinDefaultLimits_OnTheSameBase(string name)
    {
        var validation = ExperimentPresets.Get(name);
        var full = ExperimentPresets.Get(name["validate-".Length..]);

        Assert.Empty(ExperimentValidator.Validate(validation, limits: ExperimentLimits.Default));
        Assert.Contains(name, ExperimentPresets.Names);
        Assert.Equal(ValidationPresets.Steps, validation.Budget.Steps);
        Assert.True(validation.Budget.Steps < full.Budget.Steps);
        Assert.Equal(ExperimentJson.Hash(full with { Name = "", Budget = full.Budget with { Steps = 0 } }), ExperimentJson.Hash(validation with { Name = "", Budget = validation.Budget with { Steps = 0 } }));
        // Content-addressed: the validation run trains (or reuses) exactly the full preset's base checkpoint.
        Assert.Equal(BaseModelStage.SpecHash(full), BaseModelStage.SpecHash(validation));
    }

    [Fact]
    public void SpecHash_AaAndPlantedShareABase_TheLinkedComparisonAndNullWorldHaveTheirOwn()
    {
        var hashes = ValidationPresets.Names.ToDictionary(n => n, n => BaseModelStage.SpecHash(ExperimentPresets.Get(n)));

        Assert.Equal(hashes["validate-control-aa"], hashes["validate-control-planted"]);
        // The tokenizer covers every arm's prompt pools, so the trait slice of the linked comparison gives it another base than the A/A.
        Assert.Equal(3, hashes.Values.Distinct(StringComparer.Ordinal).Count());
        // The planted control runs right after the A/A, so it finds the A/A's base checkpoint instead of training it again.
        var order = ValidationPresets.Names.ToList();
        Assert.Equal(order.IndexOf("validate-control-aa") + 1, order.IndexOf("validate-control-planted"));
    }

    [Fact]
    public void Get_UnknownValidationPreset_NamesTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => ValidationPresets.Get("validate-demo"));

        Assert.Contains("validate-control-aa", error.Message, StringComparison.Ordinal);
    }
}
