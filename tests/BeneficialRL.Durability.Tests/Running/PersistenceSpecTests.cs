using BeneficialRL.Durability.Running;

namespace BeneficialRL.Durability.Tests.Running;

public sealed class PersistenceSpecTests
{
    [Theory]
    [InlineData("default")]
    [InlineData("demo")]
    [InlineData("quick")]
    public void Preset_Validate_HasNoErrors(string name)
    {
        Assert.Empty(PersistenceSpec.Preset(name).Validate(TestWorld.Catalogue));
    }

    [Fact]
    public void Validate_DoseNotIncreasing_NamesDoseIndex()
    {
        var spec = PersistenceSpec.Default with { FineTuning = PersistenceSpec.Default.FineTuning with { Doses = [0, 10, 10, 50] } };

        var errors = spec.Validate(TestWorld.Catalogue);

        Assert.Equal("$.fineTuning.doses[2]", Assert.Single(errors).Path);
    }

    [Fact]
    public void Validate_SeveralProblems_ListsEachWithItsPath()
    {
        var spec = new PersistenceSpec
        {
            Adversarial = new AdversarialSpec { Attacks = ["persona-sycophant", "no-such-attack"], Benchmarks = ["missing-benchmark"], MaxItemsPerBenchmark = 1 },
            FineTuning = new FineTuningSpec { Domain = "astrology", Doses = [5, 10], LearningRate = -1 },
            Analysis = new PersistenceAnalysisSpec { BootstrapResamples = 10, ConfidenceLevel = 1.5 },
        };

        var paths = spec.Validate(TestWorld.Catalogue).Select(e => e.Path).ToList();

        Assert.Equal(
            [
                "$.adversarial.benchmarks[0]", "$.adversarial.attacks[1]", "$.adversarial.maxItemsPerBenchmark", "$.fineTuning.domain",
                "$.fineTuning.doses[0]", "$.fineTuning.learningRate", "$.analysis.bootstrapResamples", "$.analysis.confidenceLevel",
            ],
            paths);
    }

    [Fact]
    public void Validate_NullSection_NamesIt()
    {
        var spec = PersistenceJson.DeserializeSpec("""{"adversarial":null}""");

        Assert.Equal("$.adversarial", Assert.Single(spec.Validate(TestWorld.Catalogue)).Path);
    }

    [Fact]
    public void Json_RoundTrip_IsCamelCaseAndEqual()
    {
        var json = PersistenceJson.Serialize(PersistenceSpec.Quick);

        Assert.Contains("\"fineTuning\":", json, StringComparison.Ordinal);
        Assert.Contains("\"maxItemsPerBenchmark\":5", json, StringComparison.Ordinal);
        var back = PersistenceJson.DeserializeSpec(json);
        Assert.Equal(PersistenceJson.Serialize(back), json);
        Assert.Equal(PersistenceSpec.Quick.FineTuning.Doses, back.FineTuning.Doses);
    }
}
