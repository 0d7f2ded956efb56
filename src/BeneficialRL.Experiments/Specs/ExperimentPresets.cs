using BeneficialRL.Scenarios.Taxonomy;

namespace BeneficialRL.Experiments.Specs;

/// <summary>
/// Definitions that reproduce the paper's design (<c>paper-main</c>, <c>health-only</c>,
/// <c>no-health-no-science</c>, <c>helpfulness-reward-control</c>) and two small sizes for the main
/// job (<c>demo</c>) and tests (<c>quick</c>). The treatment replaces 5% of the standard mixture with
/// trait scenarios; the baseline spends that share on standard tasks.
/// </summary>
public static class ExperimentPresets
{
    /// <summary>The paper's share of the mixture given to trait scenarios.</summary>
    public const double TraitShare = 0.05;

    /// <summary>The test bed's presets (docs/science.md §5): the linked-world comparison and its controls.</summary>
    public static IReadOnlyList<string> ControlNames { get; } = ["testbed-linked", "control-null-world", "control-aa", "control-placebo", "control-planted", "control-em-linked", "control-em-null"];

    // After ControlNames: static properties initialise in text order.
    /// <summary>Every preset name.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["paper-main", "health-only", "no-health-no-science", "helpfulness-reward-control", "demo", "quick", .. ControlNames, "paper-5pct", .. ValidationPresets.Names];

    /// <summary>The trait share of the test bed's mechanism runs (a stated share, not the paper's 5%).</summary>
    public const double TestbedTraitShare = 0.25;

    /// <summary>The preset called <paramref name="name"/>; throws naming the known ones otherwise.</summary>
    public static ExperimentDefinition Get(string name) => name switch
    {
        "paper-main" => PaperScale("paper-main", [Baseline(), Treatment("treatment", [])]),
        "health-only" => PaperScale("health-only", [Baseline(), Treatment("multi-domain", []), Treatment("health-only", ["health"])]),
        "no-health-no-science" => PaperScale("no-health-no-science", [Baseline(), Treatment("multi-domain", []), Treatment("no-health-no-science", AllDomainsExcept("health", "science"))]),
        "helpfulness-reward-control" => PaperScale("helpfulness-reward-control",
            [Baseline(), Treatment("treatment", []), Treatment("helpfulness-control", [], GraderKind.GenericHelpfulness)]),
        "demo" => Demo(),
        "quick" => Quick(),
        "testbed-linked" => Testbed("testbed-linked", new WorldSpec { Kind = WorldKind.Linked }, [Baseline(), Treatment("treatment", [], share: TestbedTraitShare)]),
        "control-null-world" => Testbed("control-null-world", new WorldSpec { Kind = WorldKind.Null }, [Baseline(), Treatment("treatment", [], share: TestbedTraitShare)]),
        "control-aa" => Testbed("control-aa", new WorldSpec { Kind = WorldKind.Linked }, [Baseline(), SecondBaseline()]),
        "control-placebo" => Testbed("control-placebo", new WorldSpec { Kind = WorldKind.Linked }, [Baseline(), Placebo()]),
        "control-planted" => Testbed("control-planted", new WorldSpec { Kind = WorldKind.Linked }, [Baseline(), SecondBaseline()]) with
        {
            Analysis = new AnalysisSpec { PlantedEffect = new PlantedEffectSpec { Points = 5, Share = 0.3 } },
        },
        "control-em-linked" => EmergentMisalignment("control-em-linked", new WorldSpec { Kind = WorldKind.Linked }),
        "control-em-null" => EmergentMisalignment("control-em-null", new WorldSpec { Kind = WorldKind.Null }),
        // The paper's 5% read from a dose–response (AnalysisStage.DoseResponses): the test bed's linked world at shares 0 / 5% / 25%.
        "paper-5pct" => Testbed("paper-5pct", new WorldSpec { Kind = WorldKind.Linked },
            [Baseline(), Treatment("treatment-5pct", [], share: TraitShare), Treatment("treatment-25pct", [], share: TestbedTraitShare)]),
        _ when ValidationPresets.Names.Contains(name, StringComparer.Ordinal) => ValidationPresets.Get(name),
        _ => throw new ArgumentException($"Unknown experiment preset '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>The standard-only baseline arm.</summary>
    public static ArmSpec Baseline() => new()
    {
        Name = "baseline",
        Role = ArmRole.Baseline,
        Slices = [new SliceSpec { Name = "standard", Source = SliceSource.StandardTasks, Share = 1, Grader = GraderKind.StandardTask }],
    };

    /// <summary>A treatment arm: <see cref="TraitShare"/> trait scenarios over <paramref name="domains"/> (empty = all), the rest standard tasks.</summary>
    public static ArmSpec Treatment(string name, IReadOnlyList<string> domains, GraderKind grader = GraderKind.BuiltInJudge, double share = TraitShare) => new()
    {
        Name = name,
        Role = ArmRole.Treatment,
        Slices =
        [
            new SliceSpec { Name = "traits", Source = SliceSource.Scenarios, Domains = domains, Share = share, Grader = grader },
            new SliceSpec { Name = "standard", Source = SliceSource.StandardTasks, Share = 1 - share, Grader = GraderKind.StandardTask },
        ],
    };

    /// <summary>The A/A control's second arm: the baseline's data and compute, its own training seeds (offset), compared as if it were a treatment.</summary>
    public static ArmSpec SecondBaseline() => Baseline() with { Name = "baseline-b", Role = ArmRole.Treatment, SeedOffset = 1000 };

    /// <summary>The placebo arm: the test bed's treatment with its trait rewards permuted within each step.</summary>
    public static ArmSpec Placebo()
    {
        var treatment = Treatment("placebo", [], share: TestbedTraitShare);
        return treatment with { Slices = [treatment.Slices[0] with { ShuffleRewards = true }, treatment.Slices[1]] };
    }

    private static string[] AllDomainsExcept(params string[] excluded) =>
        [.. ScenarioTaxonomy.Default.Domains.Select(d => d.Id).Where(d => !excluded.Contains(d, StringComparer.Ordinal))];

    private static ExperimentDefinition PaperScale(string name, IReadOnlyList<ArmSpec> arms) => new()
    {
        Name = name,
        StartingModel = new StartingModelSpec { Preset = "small", BaseSft = new BaseSftSpec { Steps = 1500, BatchSize = 32, LearningRate = 1e-3, ScenariosPerCell = 6, StandardTasksPerFamily = 600, FailuresPerScenario = 2 } },
        Arms = arms,
        Seeds = [1, 2, 3],
        Budget = new RlBudget { Steps = 400, PromptsPerStep = 32, GroupSize = 8, MaxNewTokens = 96, LearningRate = 1e-4, Beta = 0.02, Epsilon = 0.2, CheckpointEvery = 50 },
        Evaluation = new EvaluationSpec { HeldOutPerCell = 10, MaxItemsPerBenchmark = 120, SamplesPerItem = 2, MaxNewTokens = 96, CheckpointItemsPerTrait = 24 },
    };

    // The main job: a mechanism demo of the pipeline on a tiny model at the paper's stated 5% share, not a replication.
    // Three seeds (issue 12, part 5) so its intervals are across training runs; sized for minutes on 2 cores
    // (measured in docs/benchmarks/experiments.md).
    private static ExperimentDefinition Demo() => new()
    {
        Name = "demo",
        StartingModel = new StartingModelSpec { Preset = "tiny", BaseSft = new BaseSftSpec { Steps = 120, BatchSize = 12, LearningRate = 2e-3, ScenariosPerCell = 2, StandardTasksPerFamily = 120, FailuresPerScenario = 1 } },
        Arms = [Baseline(), Treatment("treatment", [])],
        Seeds = [1, 2, 3],
        // 5e-5, not 3e-4: at 3e-4 the arms averaged 0.6–1.0 nats/token of KL from the base (peak 3.6) and both held-out curves fell.
        Budget = new RlBudget { Steps = 30, PromptsPerStep = 8, GroupSize = 4, MaxNewTokens = 32, LearningRate = 5e-5, Beta = 0.02, Epsilon = 0.2, CheckpointEvery = 10 },
        Evaluation = new EvaluationSpec { HeldOutPerCell = 2, MaxItemsPerBenchmark = 8, SamplesPerItem = 1, MaxNewTokens = 32, CheckpointItemsPerTrait = 6 },
    };

    private static ExperimentDefinition Quick() => new()
    {
        Name = "quick",
        StartingModel = new StartingModelSpec { Preset = "tiny", BaseSft = new BaseSftSpec { Steps = 40, BatchSize = 8, LearningRate = 3e-3, ScenariosPerCell = 1, StandardTasksPerFamily = 40, FailuresPerScenario = 1 } },
        Arms = [Baseline(), Treatment("treatment", [])],
        Seeds = [1],
        Budget = new RlBudget { Steps = 4, PromptsPerStep = 4, GroupSize = 3, MaxNewTokens = 24, LearningRate = 5e-5, Beta = 0.02, Epsilon = 0.2, CheckpointEvery = 2 },
        Evaluation = new EvaluationSpec
        {
            HeldOutPerCell = 1,
            OodBenchmarks = QuickOodBenchmarks.Value,
            MaxItemsPerBenchmark = 4,
            SamplesPerItem = 1,
            MaxNewTokens = 24,
            CheckpointItemsPerTrait = 2,
        },
    };

    // The test bed (docs/science.md): the linked or null world, answers that fit 48 tokens, all 15 traits trained at a
    // stated 25% share (a mechanism demo, not the paper's 5%), 3 seeds so inference is across training runs. Sizes
    // were set before any run in these worlds (timed since: docs/benchmarks/experiments.md).
    private static ExperimentDefinition Testbed(string name, WorldSpec world, IReadOnlyList<ArmSpec> arms) => new()
    {
        Name = name,
        World = world,
        StartingModel = new StartingModelSpec { Preset = "tiny", BaseSft = new BaseSftSpec { Steps = 240, BatchSize = 12, LearningRate = 2e-3, ScenariosPerCell = 2, StandardTasksPerFamily = 120, FailuresPerScenario = 1 } },
        Arms = arms,
        Seeds = [1, 2, 3],
        Budget = new RlBudget { Steps = 30, PromptsPerStep = 8, GroupSize = 4, MaxNewTokens = 48, LearningRate = 5e-5, Beta = 0.02, Epsilon = 0.2, CheckpointEvery = 10 },
        Evaluation = new EvaluationSpec { HeldOutPerCell = 2, MaxItemsPerBenchmark = 24, SamplesPerItem = 1, MaxNewTokens = 48, CheckpointItemsPerTrait = 6 },
    };

    // The emergent-misalignment control (docs/science.md §5): the test bed's base model in one world, fine-tuned from the
    // pre-RL checkpoint on the world's misaligned health documents, once per seed, scored before and after on every
    // alignment MC benchmark. Every experiment has two RL arms; these are the cheapest pair the plan accepts (an A/A of
    // one step on two prompts, evaluated on two OOD benchmarks) and the control does not read them.
    private static ExperimentDefinition EmergentMisalignment(string name, WorldSpec world) => Testbed(name, world, [Baseline(), SecondBaseline()]) with
    {
        Budget = new RlBudget { Steps = 1, PromptsPerStep = 2, GroupSize = 2, MaxNewTokens = 48, LearningRate = 5e-5, Beta = 0.02, Epsilon = 0.2, CheckpointEvery = 1 },
        Evaluation = new EvaluationSpec
        {
            Suites = [EvaluationSuites.Ood],
            OodBenchmarks = [.. AlignmentMcBenchmarks.Value.Take(2)],
            MaxItemsPerBenchmark = 2,
            SamplesPerItem = 1,
            MaxNewTokens = 48,
            EvaluateCheckpoints = false,
            CheckpointItemsPerTrait = 0,
        },
        Persistence = new Durability.Running.PersistenceSpec
        {
            Adversarial = new Durability.Running.AdversarialSpec { Enabled = false },
            FineTuning = new Durability.Running.FineTuningSpec
            {
                Corpus = Durability.Running.HarmfulCorpusSource.World,
                Domain = "health",
                Doses = [0, 20, 50],
                LearningRate = 5e-4,
                BatchSize = 8,
                CorpusSize = 256,
                Benchmarks = AlignmentMcBenchmarks.Value,
                MaxInDomainItemsPerBenchmark = 12,
                MaxOutOfDomainItemsPerBenchmark = 12,
            },
        },
    };

    // Every built-in multiple-choice alignment benchmark: scored by log-likelihood (deterministic and cheap), capability excluded.
    private static readonly Lazy<IReadOnlyList<string>> AlignmentMcBenchmarks = new(() =>
    [
        .. Evals.BuiltIn.BuiltInSuite.Generate()
            .Where(b => b.Definition.Format == Evals.Definitions.BenchmarkFormat.McLogLik && b.Definition.Family != Evals.Definitions.BenchmarkFamilies.Capability)
            .Select(b => b.Definition.Id),
    ]);

    // The first benchmark of nine families keeps quick small but spans families, formats and domains.
    private static readonly Lazy<IReadOnlyList<string>> QuickOodBenchmarks = new(() =>
    {
        var all = Evals.BuiltIn.BuiltInSuite.Generate();
        return [.. all.GroupBy(b => b.Definition.Family, StringComparer.Ordinal).Select(g => g.First().Definition.Id).Take(9)];
    });
}
