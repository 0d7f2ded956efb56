using System.Globalization;
using System.Text.Json;
using BeneficialRL.Evals.BuiltIn;
using BeneficialRL.Experiments.Compute;
using BeneficialRL.Experiments.Rewards;
using BeneficialRL.Scenarios.Taxonomy;

namespace BeneficialRL.Experiments.Specs;

/// <summary>
/// Checks a definition before anything runs: shapes, ranges, taxonomy ids, grader/source pairs,
/// shares summing to 1, one baseline, and compute matching across arms.
/// </summary>
public static class ExperimentValidator
{
    private const double ShareTolerance = 1e-6;

    /// <summary>Every problem found, each with its JSON path; empty when the definition is valid.</summary>
    /// <param name="definition">The definition to check.</param>
    /// <param name="taxonomy">The taxonomy ids are checked against (the default one when null).</param>
    /// <param name="limits">
    /// The service's bounds on steps, seeds and cost; null checks none (the engine and the grains re-validate stored
    /// definitions, which the API already held to the tenant's limits when they were submitted).
    /// </param>
    public static IReadOnlyList<ValidationError> Validate(ExperimentDefinition definition, ScenarioTaxonomy? taxonomy = null, ExperimentLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        taxonomy ??= ScenarioTaxonomy.Default;
        var errors = new List<ValidationError>();
        void Require(bool ok, string path, string message)
        {
            if (!ok)
            {
                errors.Add(new ValidationError(path, message));
            }
        }

        Require(!string.IsNullOrWhiteSpace(definition.Name), "$.name", "must not be empty.");
        ValidateStartingModel(definition.StartingModel, Require);
        ValidateWorld(definition, Require);
        Require(definition.Seeds.Count > 0, "$.seeds", "must list at least one seed.");
        Require(definition.Seeds.Distinct().Count() == definition.Seeds.Count, "$.seeds", "must not repeat a seed.");
        ValidateBudget(definition.Budget, "$.budget", Require);
        ValidateEvaluation(definition.Evaluation, Require);
        ValidateAnalysis(definition.Analysis, Require);
        if (limits is not null)
        {
            ValidateLimits(definition, limits, Require);
        }

        Require(definition.Arms.Count >= 2, "$.arms", "needs at least two arms (a baseline and a treatment).");
        Require(definition.Arms.Count(a => a.Role == ArmRole.Baseline) == 1, "$.arms", "needs exactly one arm with role 'baseline'.");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var a = 0; a < definition.Arms.Count; a++)
        {
            var arm = definition.Arms[a];
            var path = $"$.arms[{a}]";
            Require(IsSlug(arm.Name), $"{path}.name", "must be 1–40 lowercase letters, digits or '-'.");
            Require(names.Add(arm.Name), $"{path}.name", $"'{arm.Name}' is used by another arm.");
            Require(arm.Slices.Count > 0, $"{path}.slices", "needs at least one slice.");
            var sum = arm.Slices.Sum(s => s.Share);
            Require(Math.Abs(sum - 1) <= ShareTolerance, $"{path}.slices", $"shares must sum to 1 (they sum to {sum.ToString("0.######", CultureInfo.InvariantCulture)}).");
            var sliceNames = new HashSet<string>(StringComparer.Ordinal);
            for (var s = 0; s < arm.Slices.Count; s++)
            {
                ValidateSlice(arm.Slices[s], $"{path}.slices[{s}]", taxonomy, sliceNames, Require);
            }

            Require(arm.SeedOffset is >= 0 and <= 1_000_000_000, $"{path}.seedOffset", "must lie in 0–1,000,000,000.");
            Require(arm.SeedOffset == 0 || arm.Role != ArmRole.Baseline, $"{path}.seedOffset", "the baseline runs the experiment's seeds; give the offset to the other arm.");
            if (arm.Budget is { } budget)
            {
                ValidateBudget(budget, $"{path}.budget", Require);
            }
        }

        errors.AddRange(ComputeMatching.Check(definition));
        if (definition.Persistence is { } persistence)
        {
            errors.AddRange(persistence.Validate(hasWorld: definition.World.Kind != WorldKind.Classic).Select(e => new ValidationError("$.persistence" + e.Path[1..], e.Message)));
            // The world corpus fine-tunes the pre-RL checkpoint once per seed; attacks there would repeat on identical replicates.
            Require(persistence.FineTuning is not { Enabled: true, Corpus: Durability.Running.HarmfulCorpusSource.World } || persistence.Adversarial is not { Enabled: true },
                "$.persistence.adversarial.enabled", "must be false when fineTuning.corpus is 'world' (the emergent-misalignment control fine-tunes only the pre-RL checkpoint); run adversarial prompting in another experiment.");
        }

        return errors;
    }

    /// <summary>Throws <see cref="ExperimentValidationException"/> when <see cref="Validate"/> finds anything.</summary>
    public static void ThrowIfInvalid(ExperimentDefinition definition)
    {
        var errors = Validate(definition);
        if (errors.Count > 0)
        {
            throw new ExperimentValidationException(errors);
        }
    }

    private static void ValidateLimits(ExperimentDefinition definition, ExperimentLimits limits, Action<bool, string, string> require)
    {
        string AtMost(long limit, string what) => $"must be at most {limit.ToString(CultureInfo.InvariantCulture)} (this service's limit on {what}).";
        require(definition.Seeds.Count <= limits.MaxSeeds, "$.seeds", AtMost(limits.MaxSeeds, "seeds per experiment"));
        require(definition.Budget.Steps <= limits.MaxSteps, "$.budget.steps", AtMost(limits.MaxSteps, "steps"));
        require(definition.StartingModel.BaseSft.Steps <= limits.MaxSteps, "$.startingModel.baseSft.steps", AtMost(limits.MaxSteps, "steps"));
        for (var a = 0; a < definition.Arms.Count; a++)
        {
            if (definition.Arms[a].Budget is { } budget)
            {
                require(budget.Steps <= limits.MaxSteps, $"$.arms[{a}].budget.steps", AtMost(limits.MaxSteps, "steps"));
            }

            if (definition.Arms[a].Seeds is { } seeds)
            {
                require(seeds.Count <= limits.MaxSeeds, $"$.arms[{a}].seeds", AtMost(limits.MaxSeeds, "seeds per experiment"));
            }
        }

        var cost = ExperimentLimits.CostOf(definition);
        var b = definition.Budget;
        require(cost <= limits.MaxCost, "$.budget",
            string.Create(CultureInfo.InvariantCulture,
                $"the experiment costs {cost:0} rollout tokens (arms {definition.Arms.Count} × seeds {definition.Seeds.Count} × steps {b.Steps} × promptsPerStep {b.PromptsPerStep} × groupSize {b.GroupSize} × maxNewTokens {b.MaxNewTokens}), over this tenant's quota of {limits.MaxCost}; lower the budget, the seeds or the arms."));
    }

    private static void ValidateStartingModel(StartingModelSpec model, Action<bool, string, string> require)
    {
        var hasPreset = !string.IsNullOrWhiteSpace(model.Preset);
        var hasCheckpoint = !string.IsNullOrWhiteSpace(model.CheckpointId);
        require(hasPreset ^ hasCheckpoint, "$.startingModel", "must name exactly one of 'preset' or 'checkpointId'.");
        if (hasPreset)
        {
            require(ModelPresets.Names.Contains(model.Preset!, StringComparer.OrdinalIgnoreCase), "$.startingModel.preset", $"'{model.Preset}' is not one of {string.Join(", ", ModelPresets.Names)}.");
            var sft = model.BaseSft;
            require(sft.Steps >= 1, "$.startingModel.baseSft.steps", "must be at least 1.");
            require(sft.BatchSize >= 1, "$.startingModel.baseSft.batchSize", "must be at least 1.");
            require(sft.LearningRate > 0 && sft.LearningRate < 1, "$.startingModel.baseSft.learningRate", "must lie in (0, 1).");
            require(sft.ScenariosPerCell >= 1, "$.startingModel.baseSft.scenariosPerCell", "must be at least 1.");
            require(sft.StandardTasksPerFamily >= 1, "$.startingModel.baseSft.standardTasksPerFamily", "must be at least 1.");
            require(sft.FailuresPerScenario is >= 0 and <= 8, "$.startingModel.baseSft.failuresPerScenario", "must lie in 0–8.");
        }
    }

    private static void ValidateWorld(ExperimentDefinition definition, Action<bool, string, string> require)
    {
        var world = definition.World;
        require(Enum.IsDefined(world.Kind), "$.world.kind", "must be 'classic', 'linked' or 'null'.");
        switch (world.Kind)
        {
            case WorldKind.Classic:
                require(world.Rho is null, "$.world.rho", "applies only to the linked and null worlds; the classic world has no shared disposition.");
                break;
            case WorldKind.Linked:
                require(world.Rho is null || (world.Rho > 0 && world.Rho <= 1), "$.world.rho", "must lie in (0, 1] for the linked world (use kind 'null' for 0).");
                break;
            case WorldKind.Null:
                require(world.Rho is null or 0, "$.world.rho", "must be 0 or absent: the null world cuts the link between exchanges.");
                break;
        }

        require(world.PersonaShare is >= 0 and <= 0.5, "$.world.personaShare", "must lie in [0, 0.5] (persona cues are a small share of documents).");
        require(world.Kind == WorldKind.Classic || string.IsNullOrWhiteSpace(definition.StartingModel.CheckpointId), "$.world.kind",
            "a linked or null world shapes the base corpus, which a starting checkpoint does not have; use a preset starting model.");
    }

    private static void ValidateBudget(RlBudget budget, string path, Action<bool, string, string> require)
    {
        require(budget.Steps >= 1, $"{path}.steps", "must be at least 1.");
        require(budget.PromptsPerStep >= 1, $"{path}.promptsPerStep", "must be at least 1.");
        require(budget.GroupSize >= 2, $"{path}.groupSize", "must be at least 2 (GRPO compares samples within a group).");
        require(budget.MaxNewTokens is >= 1 and <= 1024, $"{path}.maxNewTokens", "must lie in 1–1024.");
        require(budget.LearningRate > 0 && budget.LearningRate < 1, $"{path}.learningRate", "must lie in (0, 1).");
        require(budget.Beta >= 0, $"{path}.beta", "must be zero or positive.");
        require(budget.Epsilon > 0 && budget.Epsilon < 1, $"{path}.epsilon", "must lie in (0, 1).");
        require(budget.CheckpointEvery >= 1, $"{path}.checkpointEvery", "must be at least 1.");
        require(budget.Temperature > 0, $"{path}.temperature", "must be positive.");
    }

    private static void ValidateEvaluation(EvaluationSpec evaluation, Action<bool, string, string> require)
    {
        require(evaluation.Suites.Count > 0, "$.evaluation.suites", "must name at least one suite.");
        for (var i = 0; i < evaluation.Suites.Count; i++)
        {
            require(evaluation.Suites[i] is EvaluationSuites.HeldOut or EvaluationSuites.Ood, $"$.evaluation.suites[{i}]", $"'{evaluation.Suites[i]}' is not 'held-out' or 'ood'.");
        }

        require(evaluation.HeldOutPerCell >= 1, "$.evaluation.heldOutPerCell", "must be at least 1.");
        require(evaluation.MaxItemsPerBenchmark >= 2, "$.evaluation.maxItemsPerBenchmark", "must be at least 2 (a standard error needs two items).");
        require(evaluation.SamplesPerItem >= 1, "$.evaluation.samplesPerItem", "must be at least 1.");
        require(evaluation.MaxNewTokens is >= 1 and <= 1024, "$.evaluation.maxNewTokens", "must lie in 1–1024.");
        require(evaluation.CheckpointItemsPerTrait >= 0, "$.evaluation.checkpointItemsPerTrait", "must be zero or positive.");
        if (evaluation.OodBenchmarks.Count > 0)
        {
            var known = BuiltInBenchmarkIds.Value;
            for (var i = 0; i < evaluation.OodBenchmarks.Count; i++)
            {
                require(known.Contains(evaluation.OodBenchmarks[i]), $"$.evaluation.oodBenchmarks[{i}]", $"'{evaluation.OodBenchmarks[i]}' is not a built-in benchmark.");
            }
        }
    }

    private static void ValidateAnalysis(AnalysisSpec analysis, Action<bool, string, string> require)
    {
        require(analysis.FalseDiscoveryRate > 0 && analysis.FalseDiscoveryRate < 1, "$.analysis.falseDiscoveryRate", "must lie in (0, 1).");
        require(analysis.BootstrapResamples >= 100, "$.analysis.bootstrapResamples", "must be at least 100.");
        require(analysis.RewardHackingWindow >= 2, "$.analysis.rewardHackingWindow", "must be at least 2 checkpoints.");
        if (analysis.PlantedEffect is { } planted)
        {
            require(planted.Points > 0 && planted.Points <= 50, "$.analysis.plantedEffect.points", "must lie in (0, 50].");
            require(planted.Share > 0 && planted.Share <= 1, "$.analysis.plantedEffect.share", "must lie in (0, 1].");
        }
    }

    private static void ValidateSlice(SliceSpec slice, string path, ScenarioTaxonomy taxonomy, HashSet<string> names, Action<bool, string, string> require)
    {
        require(IsSlug(slice.Name), $"{path}.name", "must be 1–40 lowercase letters, digits or '-'.");
        require(names.Add(slice.Name), $"{path}.name", $"'{slice.Name}' is used by another slice of this arm.");
        require(slice.Share > 0 && slice.Share <= 1, $"{path}.share", "must lie in (0, 1].");
        require(!slice.ShuffleRewards || slice.Source != SliceSource.StandardTasks, $"{path}.shuffleRewards", "applies to scenario slices (the placebo control), not to standard tasks.");
        var isStandard = slice.Source == SliceSource.StandardTasks;
        var openAi = slice.Grader == GraderKind.OpenAi;
        require(openAi || isStandard == (slice.Grader == GraderKind.StandardTask), $"{path}.grader",
            isStandard ? "standard tasks are graded by 'standardTask' or 'openAi'." : "scenarios cannot be graded with 'standardTask'; use builtInJudge, genericHelpfulness, modelGrader or openAi.");
        var hasOpenAi = slice.OpenAiGrader is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined };
        require(!openAi || hasOpenAi || slice.Source == SliceSource.ScenarioSet, $"{path}.openaiGrader",
            "is required when the grader is 'openAi': the OpenAI grader JSON (only a scenarioSet slice may leave it out, to use each scenario's own 'grader').");
        require(openAi || !hasOpenAi, $"{path}.openaiGrader", "is only read when the grader is 'openAi'.");
        if (openAi && hasOpenAi)
        {
            foreach (var error in OpenAiSliceGrader.Validate(slice.OpenAiGrader!.Value, slice.Source, $"{path}.openaiGrader"))
            {
                require(false, error.Path, error.Message);
            }
        }

        require(slice.Source != SliceSource.ScenarioSet || !string.IsNullOrWhiteSpace(slice.ScenarioSetId), $"{path}.scenarioSetId", "is required when the source is 'scenarioSet'.");
        require(slice.Grader != GraderKind.ModelGrader || Uri.TryCreate(slice.ModelGraderEndpoint, UriKind.Absolute, out _), $"{path}.modelGraderEndpoint", "must be an absolute URI when the grader is 'modelGrader'.");
        require(slice.ScenariosPerCell >= 1, $"{path}.scenariosPerCell", "must be at least 1.");
        require(slice.TasksPerFamily >= 1, $"{path}.tasksPerFamily", "must be at least 1.");
        for (var i = 0; i < slice.Domains.Count; i++)
        {
            require(taxonomy.DomainsById.ContainsKey(slice.Domains[i]), $"{path}.domains[{i}]", $"'{slice.Domains[i]}' is not a taxonomy domain.");
        }

        for (var i = 0; i < slice.Traits.Count; i++)
        {
            require(taxonomy.TraitsById.ContainsKey(slice.Traits[i]), $"{path}.traits[{i}]", $"'{slice.Traits[i]}' is not a taxonomy trait.");
        }

        for (var i = 0; i < slice.Pressures.Count; i++)
        {
            require(taxonomy.PressuresById.ContainsKey(slice.Pressures[i]), $"{path}.pressures[{i}]", $"'{slice.Pressures[i]}' is not a taxonomy pressure.");
        }
    }

    private static bool IsSlug(string value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 40 && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    private static readonly Lazy<HashSet<string>> BuiltInBenchmarkIds = new(() =>
        [.. BuiltInSuite.Generate().Select(b => b.Definition.Id)]);
}
