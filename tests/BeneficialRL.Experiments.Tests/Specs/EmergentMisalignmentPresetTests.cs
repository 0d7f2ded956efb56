using BeneficialRL.Durability.Running;
using BeneficialRL.Experiments.Specs;

namespace BeneficialRL.Experiments.Tests.Specs;

/// <summary>The emergent-misalignment presets (docs/science.md §5) and the spec field they add.</summary>
public sealed class EmergentMisalignmentPresetTests
{
    [Theory]
    [InlineData("control-em-linked", WorldKind.Linked)]
    [InlineData("control-em-null", WorldKind.Null)]
    public void Preset_IsValid_AndFineTunesOnItsWorld(string name, WorldKind world)
    {
        var definition = ExperimentPresets.Get(name);

        Assert.Contains(name, ExperimentPresets.ControlNames);
        Assert.Contains(name, ExperimentPresets.Names);
        Assert.Empty(ExperimentValidator.Validate(definition));
        Assert.Equal(world, definition.World.Kind);
        Assert.Equal(HarmfulCorpusSource.World, definition.Persistence!.FineTuning.Corpus);
        Assert.Equal("health", definition.Persistence.FineTuning.Domain);
        Assert.False(definition.Persistence.Adversarial.Enabled);
        Assert.True(definition.Seeds.Count >= 2, "the endpoint's interval is across seeds");
    }

    [Fact]
    public void Presets_DifferOnlyInTheirWorldAndName()
    {
        var linked = ExperimentPresets.Get("control-em-linked");
        var none = ExperimentPresets.Get("control-em-null");

        Assert.Equal(ExperimentJson.Serialize(linked with { Name = "x", World = new WorldSpec() }), ExperimentJson.Serialize(none with { Name = "x", World = new WorldSpec() }));
    }

    [Fact]
    public void Json_DefaultCorpusSource_IsLeftOut_SoOlderSpecsKeepTheirHash()
    {
        var json = PersistenceJson.Serialize(PersistenceSpec.Default);

        Assert.DoesNotContain("corpus\"", json, StringComparison.Ordinal);
        Assert.Equal(HarmfulCorpusSource.Scenarios, PersistenceJson.DeserializeSpec(json).FineTuning.Corpus);
    }

    [Fact]
    public void Validate_WorldCorpusInTheClassicWorld_NamesTheField()
    {
        var definition = ExperimentPresets.Get("control-em-linked") with { World = new WorldSpec() };

        var error = Assert.Single(ExperimentValidator.Validate(definition), e => e.Path == "$.persistence.fineTuning.corpus");
        Assert.Contains("linked or null world", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WorldCorpusWithAdversarialPrompting_NamesTheField()
    {
        var definition = ExperimentPresets.Get("control-em-null");
        definition = definition with { Persistence = definition.Persistence! with { Adversarial = new AdversarialSpec() } };

        Assert.Contains(ExperimentValidator.Validate(definition), e => e.Path == "$.persistence.adversarial.enabled");
    }

    [Fact]
    public void Validate_UnknownCorpusSource_NamesTheField()
    {
        var json = ExperimentJson.Serialize(ExperimentPresets.Get("control-em-null")).Replace("\"corpus\":\"world\"", "\"corpus\":7", StringComparison.Ordinal);

        Assert.Contains(ExperimentValidator.Validate(ExperimentJson.Deserialize(json)), e => e.Path == "$.persistence.fineTuning.corpus");
    }

    [Fact]
    public void StandAlonePersistenceSpec_WithWorldCorpus_IsRejected()
    {
        var spec = PersistenceSpec.Quick with { FineTuning = PersistenceSpec.Quick.FineTuning with { Corpus = HarmfulCorpusSource.World } };

        Assert.Contains(spec.Validate(), e => e.Path == "$.fineTuning.corpus");
        Assert.DoesNotContain(spec.Validate(hasWorld: true), e => e.Path == "$.fineTuning.corpus");
    }
}
