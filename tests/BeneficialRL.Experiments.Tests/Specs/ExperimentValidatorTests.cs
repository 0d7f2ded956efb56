using BeneficialRL.Experiments.Specs;

namespace BeneficialRL.Experiments.Tests.Specs;

public sealed class ExperimentValidatorTests
{
    [Theory]
    [InlineData("paper-main")]
    [InlineData("health-only")]
    [InlineData("no-health-no-science")]
    [InlineData("helpfulness-reward-control")]
    [InlineData("demo")]
    [InlineData("quick")]
    public void Validate_Preset_HasNoErrors(string preset)
    {
        var errors = ExperimentValidator.Validate(ExperimentPresets.Get(preset));

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("paper-main")]
    [InlineData("health-only")]
    [InlineData("no-health-no-science")]
    [InlineData("helpfulness-reward-control")]
    [InlineData("demo")]
    [InlineData("quick")]
    public void Validate_PresetWithDefaultLimits_HasNoErrors(string preset)
    {
        var errors = ExperimentValidator.Validate(ExperimentPresets.Get(preset), limits: ExperimentLimits.Default);

        Assert.Empty(errors);
    }

    [Fact]
    public void CostOf_PaperMain_CountsArmsSeedsStepsPromptsGroupAndTokens()
    {
        // 2 arms × 3 seeds × 400 steps × 32 prompts × group of 8 × 96 tokens.
        Assert.Equal(2d * 3 * 400 * 32 * 8 * 96, ExperimentLimits.CostOf(ExperimentPresets.Get("paper-main")));
    }

    [Fact]
    public void Validate_MaxIntStepsInAnArmBudget_ReportsTheArmsStepsAndTheCostWithoutOverflow()
    {
        var definition = ExperimentPresets.Get("quick");
        var huge = definition.Budget with { Steps = int.MaxValue, PromptsPerStep = int.MaxValue };
        definition = definition with { Budget = huge, Arms = [definition.Arms[0] with { Budget = huge }, definition.Arms[1]] };

        var paths = ExperimentValidator.Validate(definition, limits: ExperimentLimits.Default).Select(e => e.Path).ToList();

        Assert.Contains("$.budget.steps", paths);
        Assert.Contains("$.arms[0].budget.steps", paths);
        Assert.Contains("$.budget", paths);
        Assert.True(ExperimentLimits.CostOf(definition) > ExperimentLimits.Default.MaxCost);
    }

    [Fact]
    public void Validate_WithoutLimits_AcceptsWhatTheLimitsRefuse()
    {
        var definition = ExperimentPresets.Get("quick") with { Seeds = [.. Enumerable.Range(1, 50).Select(i => (long)i)] };

        Assert.Empty(ExperimentValidator.Validate(definition));
        Assert.Equal("$.seeds", Assert.Single(ExperimentValidator.Validate(definition, limits: ExperimentLimits.Default)).Path);
    }

    [Fact]
    public void Validate_SharesNotSummingToOne_ReportsArmSlicesPath()
    {
        var definition = ExperimentPresets.Get("quick");
        var treatment = definition.Arms[1];
        definition = definition with { Arms = [definition.Arms[0], treatment with { Slices = [treatment.Slices[0], treatment.Slices[1] with { Share = 0.9 }] }] };

        var errors = ExperimentValidator.Validate(definition);

        var error = Assert.Single(errors);
        Assert.Equal("$.arms[1].slices", error.Path);
        Assert.Contains("sum to 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownGraderInJson_FailsToParseNamingTheValue()
    {
        var json = ExperimentJson.Serialize(ExperimentPresets.Get("quick")).Replace("\"builtInJudge\"", "\"vibes\"", StringComparison.Ordinal);

        var exception = Assert.Throws<System.Text.Json.JsonException>(() => ExperimentJson.Deserialize(json));

        Assert.Contains("grader", exception.Path ?? exception.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Validate_StandardGraderOnScenarios_ReportsGraderPath()
    {
        var definition = ExperimentPresets.Get("quick");
        var treatment = definition.Arms[1];
        definition = definition with { Arms = [definition.Arms[0], treatment with { Slices = [treatment.Slices[0] with { Grader = GraderKind.StandardTask }, treatment.Slices[1]] }] };

        var errors = ExperimentValidator.Validate(definition);

        Assert.Contains(errors, e => e.Path == "$.arms[1].slices[0].grader");
    }

    [Fact]
    public void Validate_UnknownDomainTraitAndBenchmark_ReportEachPath()
    {
        var definition = ExperimentPresets.Get("quick");
        var treatment = definition.Arms[1];
        definition = definition with
        {
            Arms = [definition.Arms[0], treatment with { Slices = [treatment.Slices[0] with { Domains = ["astrology"], Traits = ["charm"] }, treatment.Slices[1]] }],
            Evaluation = definition.Evaluation with { OodBenchmarks = ["no-such-benchmark"] },
        };

        var paths = ExperimentValidator.Validate(definition).Select(e => e.Path).ToList();

        Assert.Contains("$.arms[1].slices[0].domains[0]", paths);
        Assert.Contains("$.arms[1].slices[0].traits[0]", paths);
        Assert.Contains("$.evaluation.oodBenchmarks[0]", paths);
    }

    [Fact]
    public void Validate_TwoBaselines_ReportsArms()
    {
        var definition = ExperimentPresets.Get("quick");
        definition = definition with { Arms = [definition.Arms[0], definition.Arms[1] with { Role = ArmRole.Baseline }] };

        var errors = ExperimentValidator.Validate(definition);

        Assert.Contains(errors, e => e.Path == "$.arms" && e.Message.Contains("exactly one", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("helpfulness-reward-control", "\"genericHelpfulness\"")]
    [InlineData("control-em-linked", "\"corpus\":\"world\"")]
    public void Serialize_RoundTrip_PreservesDefinition(string preset, string marker)
    {
        var definition = ExperimentPresets.Get(preset);

        var json = ExperimentJson.Serialize(definition);
        var back = ExperimentJson.Deserialize(json);

        Assert.Equal(json, ExperimentJson.Serialize(back));
        Assert.Contains(marker, json, StringComparison.Ordinal);
        Assert.Contains("\"startingModel\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_UnknownPreset_ThrowsNamingKnownOnes()
    {
        var exception = Assert.Throws<ArgumentException>(() => ExperimentPresets.Get("nope"));

        Assert.Contains("paper-main", exception.Message, StringComparison.Ordinal);
    }
}

public sealed class WorldValidationTests
{
    [Fact]
    public void Validate_DefinitionWithoutWorld_IsClassicAndValid()
    {
        var definition = ExperimentJson.Deserialize(ExperimentJson.Serialize(ExperimentPresets.Get("quick")).Replace(",\"world\":{\"kind\":\"classic\",\"rho\":null,\"personaShare\":0.1}", "", StringComparison.Ordinal));

        Assert.Equal(WorldKind.Classic, definition.World.Kind);
        Assert.Empty(ExperimentValidator.Validate(definition));
    }

    [Theory]
    [InlineData(WorldKind.Linked, null, 0.1, null)]
    [InlineData(WorldKind.Linked, 0.5, 0.1, null)]
    [InlineData(WorldKind.Null, null, 0.1, null)]
    [InlineData(WorldKind.Null, 0.0, 0.0, null)]
    [InlineData(WorldKind.Linked, 0.0, 0.1, "$.world.rho")]
    [InlineData(WorldKind.Linked, 1.5, 0.1, "$.world.rho")]
    [InlineData(WorldKind.Null, 0.9, 0.1, "$.world.rho")]
    [InlineData(WorldKind.Classic, 0.9, 0.1, "$.world.rho")]
    [InlineData(WorldKind.Linked, 0.9, 0.8, "$.world.personaShare")]
    [InlineData((WorldKind)7, null, 0.1, "$.world.kind")]
    public void Validate_World_NamesTheFieldAtFault(WorldKind kind, double? rho, double personaShare, string? errorPath)
    {
        var definition = ExperimentPresets.Get("quick") with { World = new WorldSpec { Kind = kind, Rho = rho, PersonaShare = personaShare } };

        var errors = ExperimentValidator.Validate(definition);

        if (errorPath is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(errors, e => e.Path == errorPath);
        }
    }

    [Fact]
    public void Validate_LinkedWorldFromACheckpoint_IsAnError()
    {
        var definition = ExperimentPresets.Get("quick") with
        {
            World = new WorldSpec { Kind = WorldKind.Linked },
            StartingModel = new StartingModelSpec { CheckpointId = "ckpt-1" },
        };

        Assert.Contains(ExperimentValidator.Validate(definition), e => e.Path == "$.world.kind" && e.Message.Contains("starting checkpoint", StringComparison.Ordinal));
    }

    [Fact]
    public void Deserialize_WorldKindsAsStrings_RoundTrip()
    {
        var json = ExperimentJson.Serialize(ExperimentPresets.Get("quick") with { World = new WorldSpec { Kind = WorldKind.Null } });

        Assert.Contains("\"kind\":\"null\"", json, StringComparison.Ordinal);
        Assert.Equal(WorldKind.Null, ExperimentJson.Deserialize(json).World.Kind);
    }
}

public sealed class ControlPresetValidationTests
{
    public static TheoryData<string> Controls => [.. ExperimentPresets.ControlNames];

    [Theory]
    [MemberData(nameof(Controls))]
    public void Validate_ControlPreset_HasNoErrorsWithinDefaultLimits(string preset)
    {
        var definition = ExperimentPresets.Get(preset);

        Assert.Empty(ExperimentValidator.Validate(definition, limits: ExperimentLimits.Default));
        Assert.NotEqual(WorldKind.Classic, definition.World.Kind);
        Assert.True(definition.Budget.MaxNewTokens >= 48, "the test bed's answers must fit the limit");
        Assert.Contains(preset, ExperimentPresets.Names);
    }

    [Fact]
    public void Paper5pct_LinkedWorldArmsAtZeroFiveAndTwentyFivePercent_ThreeSeeds_ValidWithinDefaultLimits()
    {
        var definition = ExperimentPresets.Get("paper-5pct");

        Assert.Empty(ExperimentValidator.Validate(definition, limits: ExperimentLimits.Default));
        Assert.Equal(WorldKind.Linked, definition.World.Kind);
        Assert.Equal([1.0, 0.05, 0.25], definition.Arms.Select(a => a.Slices[0].Share));
        Assert.True(definition.Seeds.Count >= 3);
        Assert.Contains("paper-5pct", ExperimentPresets.Names);
    }

    [Fact]
    public void ControlNullWorld_DiffersFromTestbedLinked_OnlyInWorldAndName()
    {
        var linked = ExperimentPresets.Get("testbed-linked");
        var nullWorld = ExperimentPresets.Get("control-null-world");

        Assert.Equal(WorldKind.Null, nullWorld.World.Kind);
        Assert.Equal(ExperimentJson.Hash(linked with { Name = "", World = new WorldSpec() }), ExperimentJson.Hash(nullWorld with { Name = "", World = new WorldSpec() }));
    }

    [Theory]
    [InlineData(-1L, "$.arms[1].seedOffset")]
    [InlineData(2_000_000_000L, "$.arms[1].seedOffset")]
    public void Validate_SeedOffsetOutOfRange_NamesTheField(long offset, string path)
    {
        var definition = ExperimentPresets.Get("control-aa");
        definition = definition with { Arms = [definition.Arms[0], definition.Arms[1] with { SeedOffset = offset }] };

        Assert.Contains(ExperimentValidator.Validate(definition), e => e.Path == path);
    }

    [Fact]
    public void Validate_SeedOffsetOnBaseline_IsAnError()
    {
        var definition = ExperimentPresets.Get("control-aa");
        definition = definition with { Arms = [definition.Arms[0] with { SeedOffset = 5 }, definition.Arms[1]] };

        Assert.Contains(ExperimentValidator.Validate(definition), e => e.Path == "$.arms[0].seedOffset");
    }

    [Theory]
    [InlineData(0.0, 0.3, "$.analysis.plantedEffect.points")]
    [InlineData(5.0, 0.0, "$.analysis.plantedEffect.share")]
    public void Validate_PlantedEffectOutOfRange_NamesTheField(double points, double share, string path)
    {
        var definition = ExperimentPresets.Get("control-planted");
        definition = definition with { Analysis = definition.Analysis with { PlantedEffect = new PlantedEffectSpec { Points = points, Share = share } } };

        Assert.Contains(ExperimentValidator.Validate(definition), e => e.Path == path);
    }
}
