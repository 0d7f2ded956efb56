using System.Diagnostics;
using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Experiments.Mixtures;
using BeneficialRL.Experiments.Preflight;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Tokenization;
using BeneficialRL.Learning.Training.Sft;
using BeneficialRL.Primitives.Layout;
using BeneficialRL.Scenarios.Generation;
using BeneficialRL.Scenarios.Schema;
using BeneficialRL.Scenarios.StandardTasks;
using BeneficialRL.Scenarios.Taxonomy;
using BeneficialRL.Scenarios.World;

namespace BeneficialRL.Experiments.Stages;

/// <summary>
/// Stage 1: builds the tokenizer (compact o200k over everything the model will ever see: the SFT
/// corpus, every arm's prompt pools and the evaluation suite, so no text falls back to bytes) and SFTs
/// the preset on a mixed-behaviour corpus: each training scenario with its beneficial reference and
/// some of its typed failure references, plus solved standard tasks. The checkpoint is
/// content-addressed by <see cref="SpecHash"/>: an identical spec finds and reuses it.
/// </summary>
public static class BaseModelStage
{
    /// <summary>The content address of the base spec: model spec, arms' data, evaluation selection and generator versions.</summary>
    public static string SpecHash(ExperimentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.StartingModel.CheckpointId is { Length: > 0 } id)
        {
            return id;
        }

        var slices = definition.Arms.SelectMany(a => a.Slices).Select(s => s with { Share = 0, Name = "", Grader = GraderKind.StandardTask, ModelGraderEndpoint = null, OpenAiGrader = null }).Distinct().ToList();
        var evaluation = definition.Evaluation with { EvaluateCheckpoints = false, CheckpointItemsPerTrait = 0, SamplesPerItem = 0 };
        // The classic world hashes exactly as before worlds existed, so its stored base checkpoints are still found.
        return (definition.World.Kind == WorldKind.Classic
            ? ExperimentJson.Hash(new
            {
                version = "base-stage/1",
                scenarios = ScenarioGenerator.GeneratorVersion,
                benchmarks = Evals.BuiltIn.BuiltInSuite.GeneratorId,
                model = definition.StartingModel,
                slices,
                evaluation,
            })
            : ExperimentJson.Hash(new
            {
                version = "base-stage/1",
                scenarios = ScenarioGenerator.GeneratorVersion,
                world = WorldCorpusGenerator.GeneratorVersion,
                benchmarks = Evals.BuiltIn.BuiltInSuite.GeneratorId,
                model = definition.StartingModel,
                worldSpec = new { kind = definition.World.Kind, rho = definition.World.EffectiveRho, personaShare = definition.World.PersonaShare },
                slices,
                evaluation,
            }))[..16];
    }

    /// <summary>
    /// Runs the stage: returns the existing checkpoint when <paramref name="sink"/> already has one for
    /// this spec hash, otherwise trains and writes it.
    /// </summary>
    public static async Task<BaseModelResult> RunAsync(ExperimentDefinition definition, IArtifactSink sink, IProgress<StageProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(sink);
        var clock = Stopwatch.StartNew();
        var hash = SpecHash(definition);
        if (definition.StartingModel.CheckpointId is { Length: > 0 } existing)
        {
            var name = TenantBlobLayout.CheckpointArchive(existing);
            var bytes = await sink.ReadBytesAsync(name, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Starting checkpoint '{existing}' was not found at '{name}'.");
            using var loaded = await Checkpoint.LoadAsync(new MemoryStream(bytes), cancellationToken).ConfigureAwait(false);
            var preflightOfLoaded = await PreflightAsync(definition, loaded, progress, cancellationToken).ConfigureAwait(false);
            return new BaseModelResult(hash, name, ExperimentJson.Hash(bytes), loaded.Tokenizer.VocabularySize, loaded.Config.ParameterCount, 0, 0, double.NaN, true, clock.Elapsed.TotalSeconds, preflightOfLoaded);
        }

        var recordName = TenantBlobLayout.BaseRecord(hash);
        if (await sink.ReadJsonAsync<BaseModelResult>(recordName, cancellationToken).ConfigureAwait(false) is { } previous
            && await sink.ExistsAsync(previous.CheckpointName, cancellationToken).ConfigureAwait(false))
        {
            progress?.Report(new StageProgress(StageNames.BaseModel, "sft", 1, 1, $"reused base checkpoint {hash}"));
            using var reused = await LoadAsync(previous, sink, cancellationToken).ConfigureAwait(false);
            var preflightOfReused = await PreflightAsync(definition, reused, progress, cancellationToken).ConfigureAwait(false);
            return previous with { Reused = true, WallSeconds = clock.Elapsed.TotalSeconds, Preflight = preflightOfReused };
        }

        var spec = definition.StartingModel.BaseSft;
        var world = WorldDocuments(spec, definition.World);
        var dataset = BuildCorpus(spec, definition.World);
        // Both sides of every world exchange enter the vocabulary, so the linked and null worlds share one tokenizer.
        var texts = dataset.SelectMany(e => e.Prompt.Select(t => t.Content).Append(e.Response))
            .Concat(world.SelectMany(d => d.Exchanges.Select(x => x.Alternative)))
            .Concat(definition.Arms.SelectMany(a => a.Slices).SelectMany(s => PoolTexts(s, definition.World.TrainsAllTraits)))
            .Concat(EvaluationSuite.Build(definition.Evaluation).Texts());
        var tokenizer = PolicyTokenizer.BuildCompactO200k(texts);
        var config = ModelPresets.Create(definition.StartingModel.Preset!, tokenizer.VocabularySize);
        using var model = new PolicyModel(config, null, spec.Seed);
        var options = new SftOptions
        {
            BatchSize = spec.BatchSize,
            MicroBatchSize = spec.BatchSize,
            LearningRate = spec.LearningRate,
            WarmupSteps = Math.Min(20, Math.Max(1, spec.Steps / 10)),
            TotalSteps = spec.Steps,
            Seed = spec.Seed,
        };
        using var trainer = new SftTrainer(model, tokenizer, options);
        var losses = new List<double>();
        var metrics = await Task.Run(
            () => trainer.Train(dataset, spec.Steps, new SyncProgress<SftStepMetrics>(m =>
            {
                losses.Add(m.Loss);
                progress?.Report(new StageProgress(StageNames.BaseModel, "sft", m.Step + 1, spec.Steps, $"SFT step {m.Step + 1}/{spec.Steps}, loss {m.Loss:0.000}"));
            }), cancellationToken),
            cancellationToken).ConfigureAwait(false);

        using var checkpoint = Checkpoint.Capture(model, tokenizer, labels: new Dictionary<string, string> { ["kind"] = "base", ["specHash"] = hash, ["preset"] = definition.StartingModel.Preset! });
        using var buffer = new MemoryStream();
        await checkpoint.SaveAsync(buffer, cancellationToken).ConfigureAwait(false);
        var tar = buffer.ToArray();
        var checkpointName = TenantBlobLayout.CheckpointArchive(CheckpointIds.Base(hash));
        await sink.WriteBytesAsync(checkpointName, tar, "application/x-tar", cancellationToken).ConfigureAwait(false);
        var result = new BaseModelResult(
            hash,
            checkpointName,
            ExperimentJson.Hash(tar),
            tokenizer.VocabularySize,
            config.ParameterCount,
            metrics.Count,
            dataset.Count,
            losses.TakeLast(10).DefaultIfEmpty(double.NaN).Average(),
            false,
            clock.Elapsed.TotalSeconds);
        await sink.WriteJsonAsync(recordName, result, cancellationToken).ConfigureAwait(false);
        var preflight = await PreflightAsync(definition, checkpoint, progress, cancellationToken).ConfigureAwait(false);
        return result with { Preflight = preflight, WallSeconds = clock.Elapsed.TotalSeconds };
    }

    private static async Task<PreflightReport> PreflightAsync(ExperimentDefinition definition, Checkpoint checkpoint, IProgress<StageProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(new StageProgress(StageNames.BaseModel, "preflight", 0, 1, "pre-flight checks of the base model"));
        var report = await PreflightStage.RunAsync(definition, checkpoint, cancellationToken).ConfigureAwait(false);
        progress?.Report(new StageProgress(StageNames.BaseModel, "preflight", 1, 1, report.Passed ? "pre-flight checks passed" : report.BlockReason!));
        return report;
    }

    /// <summary>Loads the checkpoint a <see cref="BaseModelResult"/> points at.</summary>
    public static async Task<Checkpoint> LoadAsync(BaseModelResult result, IArtifactSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(sink);
        var bytes = await sink.ReadBytesAsync(result.CheckpointName, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Base checkpoint '{result.CheckpointName}' is missing from the artifact store.");
        return await Checkpoint.LoadAsync(new MemoryStream(bytes), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Most words of a world example's prompt (about 300 tokens): earlier exchanges that do not fit are left out of the
    /// context, so every example fits the smallest preset's 384-token context with its short answer.
    /// </summary>
    public const int WorldPromptWords = 220;

    /// <summary>
    /// The base corpus's documents in a linked or null world (none in the classic world): about
    /// <see cref="BaseSftSpec.ScenariosPerCell"/> exchanges per behaviour kind × training domain, at 2.5 exchanges per document.
    /// </summary>
    public static IReadOnlyList<WorldDocument> WorldDocuments(BaseSftSpec spec, WorldSpec? world)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (world is null || world.Kind == WorldKind.Classic)
        {
            return [];
        }

        var generator = new WorldCorpusGenerator();
        return generator.Generate(spec.Seed, world.EffectiveRho, CorpusDocumentCount(spec, generator), world.PersonaShare);
    }

    /// <summary>
    /// The <paramref name="count"/> documents the world writes right after the base corpus (same seed, ρ and persona
    /// share, the next indices), which the base model never trains on. Empty in the classic world.
    /// </summary>
    public static IReadOnlyList<WorldDocument> HeldOutWorldDocuments(BaseSftSpec spec, WorldSpec? world, int count)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (world is null || world.Kind == WorldKind.Classic)
        {
            return [];
        }

        var generator = new WorldCorpusGenerator();
        return generator.Generate(spec.Seed, world.EffectiveRho, count, world.PersonaShare, first: CorpusDocumentCount(spec, generator));
    }

    private static int CorpusDocumentCount(BaseSftSpec spec, WorldCorpusGenerator generator) =>
        (int)Math.Ceiling(spec.ScenariosPerCell * ScenarioTaxonomy.Default.Domains.Count * generator.Kinds.Count / 2.5);

    /// <summary>
    /// The base SFT corpus. Classic world: beneficial and failure references of training scenarios of the trained
    /// traits. Linked and null worlds: every exchange of every world document, with the document so far as its
    /// prompt. Both: solved standard tasks.
    /// </summary>
    public static IReadOnlyList<SftExample> BuildCorpus(BaseSftSpec spec, WorldSpec? world = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (world is not null && world.Kind != WorldKind.Classic)
        {
            var corpus = new List<SftExample>();
            foreach (var document in WorldDocuments(spec, world))
            {
                for (var k = 0; k < document.Exchanges.Count; k++)
                {
                    corpus.Add(new SftExample(ChatConversion.ToChat(document.PromptFor(k, WorldPromptWords)), document.Exchanges[k].Assistant));
                }
            }

            corpus.AddRange(SolvedStandardTasks(spec));
            return corpus;
        }

        var heldOut = ScenarioTaxonomy.Default.HeldOutTraits.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var examples = new List<SftExample>();
        var rng = new Learning.Training.DeterministicRandom(spec.Seed);
        foreach (var scenario in new ScenarioGenerator().GenerateTraining(spec.Seed, spec.ScenariosPerCell).Where(s => !heldOut.Contains(s.Trait)))
        {
            var prompt = ChatConversion.ToChat(scenario.Turns);
            examples.Add(new SftExample(prompt, scenario.Beneficial.Text));
            var failures = scenario.References.Where(r => r.Kind != ResponseKind.Beneficial).ToList();
            rng.Shuffle(failures);
            examples.AddRange(failures.Take(spec.FailuresPerScenario).Select(f => new SftExample(prompt, f.Text)));
        }

        examples.AddRange(SolvedStandardTasks(spec));
        return examples;
    }

    private static IEnumerable<SftExample> SolvedStandardTasks(BaseSftSpec spec) =>
        new StandardTaskGenerator().Generate(spec.Seed, spec.StandardTasksPerFamily)
            .Select(task => SolvedResponse(task) is { } response ? SftExample.FromUser(task.Prompt, response) : null)
            .OfType<SftExample>();

    // Format tasks have no single answer; the base model meets them only in RL, where the grader checks constraints.
    private static string? SolvedResponse(StandardTask task) => task.Family switch
    {
        StandardTaskFamily.Arithmetic or StandardTaskFamily.Extraction => task.ExpectedAnswer,
        _ => null,
    };

    private static IEnumerable<string> PoolTexts(SliceSpec slice, bool trainAllTraits)
    {
        // Uploaded sets are resolved at training time; their text is covered by the byte fallback.
        if (slice.Source == SliceSource.ScenarioSet)
        {
            return [];
        }

        return PromptPools.Build(slice, trainAllTraits: trainAllTraits).SelectMany(p => p.Scenario is { } s
            ? s.Turns.Select(t => t.Content).Concat(s.References.Select(r => r.Text))
            : [p.Task!.Prompt, p.Task.ExpectedAnswer ?? ""]);
    }
}
