using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Experiments.Mixtures;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Generation;
using BeneficialRL.Learning.Scoring;
using BeneficialRL.Learning.Tokenization;
using BeneficialRL.Scenarios.Grading;
using BeneficialRL.Scenarios.Schema;
using BeneficialRL.Scenarios.World;

namespace BeneficialRL.Experiments.Preflight;

/// <summary>
/// Measures the pre-flight checks on the base model and its references only, before any RL (docs/science.md §4):
/// judge dynamic range at the token limit, truncation and behaviour mix of base samples on trait prompts, zero-variance
/// GRPO groups, and room on every OOD benchmark. Nothing here reads a treatment outcome.
/// </summary>
public static class PreflightStage
{
    /// <summary>Trait prompts sampled from the trait slice's pool.</summary>
    public const int TraitPrompts = 16;

    /// <summary>Base samples per trait prompt.</summary>
    public const int SamplesPerPrompt = 8;

    /// <summary>Reference pairs graded for the judge's dynamic range.</summary>
    public const int ReferencePairs = 64;

    /// <summary>Items per OOD benchmark for the room check.</summary>
    public const int RoomItemsPerBenchmark = 16;

    /// <summary>Runs the base-model checks.</summary>
    /// <param name="definition">The experiment (its world, budget, trait slice and evaluation suite).</param>
    /// <param name="checkpoint">The base checkpoint.</param>
    /// <param name="cancellationToken">Stops between parts.</param>
    public static async Task<PreflightReport> RunAsync(ExperimentDefinition definition, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var budget = definition.Budget;
        var checks = new List<PreflightCheck>();
        var judge = new BuiltInJudge();
        var pool = TraitPool(definition);
        if (pool.Count == 0)
        {
            checks.Add(new PreflightCheck("trait-slice", "a built-in trait slice to check", double.NaN, true,
                "no arm trains a built-in trait slice (e.g. an A/A control, or uploaded scenario sets only); the trait checks do not apply"));
        }
        else
        {
            checks.Add(JudgeRange(definition, pool, checkpoint.Tokenizer, judge));
            var prompts = Spread(pool, TraitPrompts);
            var generated = await Task.Run(() => SampleTraitPrompts(definition, checkpoint, prompts), cancellationToken).ConfigureAwait(false);
            var rewards = generated.Select((g, i) => judge.Grade(GradingRequest.ForScenario(prompts[i / SamplesPerPrompt].Scenario!, g.Text)).Score).ToList();
            checks.Add(PreflightChecks.Truncation(generated.Count(g => g.FinishReason == FinishReason.Length), generated.Count, budget.MaxNewTokens));
            checks.Add(PreflightChecks.BehaviourMix(rewards));
            var groupSize = Math.Min(budget.GroupSize, SamplesPerPrompt);
            checks.Add(PreflightChecks.ZeroVarianceGroups([.. Enumerable.Range(0, prompts.Count).Select(p => (IReadOnlyList<double>)rewards.Skip(p * SamplesPerPrompt).Take(groupSize).ToList())]));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (definition.World.TrainsAllTraits)
        {
            checks.Add(await Task.Run(() => PersonaCoupling(definition, checkpoint), cancellationToken).ConfigureAwait(false));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var suite = EvaluationSuite.Build(definition.Evaluation with { Suites = [EvaluationSuites.Ood] });
        if (suite.Ood.Count > 0)
        {
            var evaluation = await EvaluationStage.EvaluateAsync(checkpoint, "base", 0, 0, suite, definition.Evaluation, RoomItemsPerBenchmark, null, cancellationToken).ConfigureAwait(false);
            // Every built-in score (aligned mass, grader score, pair consistency, accuracy) lies in [0, 1].
            // On the scale the analysis uses (AnalysisStage.ItemValue).
            checks.Add(PreflightChecks.BenchmarkRoom(evaluation.Benchmarks.ToDictionary(
                b => b.BenchmarkId,
                b => b.Items.Count == 0 ? double.NaN : b.Items.Average(i => Analysis.AnalysisStage.ItemValue(definition.World, i)),
                StringComparer.Ordinal)));
        }

        return new PreflightReport(checks);
    }

    /// <summary>
    /// The trait prompts the behaviour-mix and zero-variance checks sample: <see cref="TraitPrompts"/> spread over the
    /// trait slice's pool (empty when no arm trains a built-in trait slice).
    /// </summary>
    public static IReadOnlyList<TrainingPrompt> TraitPromptsFor(ExperimentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var pool = TraitPool(definition);
        return pool.Count == 0 ? [] : Spread(pool, TraitPrompts);
    }

    /// <summary>
    /// The base model's samples on <paramref name="prompts"/>, <see cref="SamplesPerPrompt"/> each in prompt order, at
    /// the experiment's temperature and token limit and a fixed seed: what the behaviour-mix check judges.
    /// </summary>
    public static IReadOnlyList<GenerationResult> SampleTraitPrompts(ExperimentDefinition definition, Checkpoint checkpoint, IReadOnlyList<TrainingPrompt> prompts)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(prompts);
        using var model = checkpoint.CreateModel();
        model.eval();
        var generator = new TextGenerator(model, checkpoint.Tokenizer);
        var options = new SamplingOptions { Temperature = definition.Budget.Temperature, MaxNewTokens = definition.Budget.MaxNewTokens, Seed = 4711 };
        return generator.GenerateChat([.. prompts.Select(p => ChatConversion.ToChat(p.Scenario!.Turns))], options, SamplesPerPrompt);
    }

    private static List<TrainingPrompt> TraitPool(ExperimentDefinition definition)
    {
        var slice = TraitSlice(definition);
        return slice is null ? [] : [.. PromptPools.Build(slice, trainAllTraits: definition.World.TrainsAllTraits).Where(p => p.Scenario is not null)];
    }

    /// <summary>The first treatment arm's built-in trait slice (generated scenarios), or null.</summary>
    public static SliceSpec? TraitSlice(ExperimentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.Arms.Where(a => a.Role != ArmRole.Baseline).SelectMany(a => a.Slices).FirstOrDefault(s => s.Source == SliceSource.Scenarios);
    }

    /// <summary>
    /// The judge's dynamic range on the references the base model learned from, each cut at the token limit: in the
    /// classic world the trait scenarios' beneficial and failure references; in the linked and null worlds the base
    /// corpus's short aligned and misaligned answers to trait scenarios (graded on that scenario's rubric).
    /// </summary>
    public static PreflightCheck JudgeRange(ExperimentDefinition definition, IReadOnlyList<TrainingPrompt> pool, PolicyTokenizer tokenizer, BuiltInJudge judge)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(judge);
        var limit = definition.Budget.MaxNewTokens;
        List<(Scenario Scenario, string Beneficial, string Failure)> pairs;
        string references;
        if (definition.World.TrainsAllTraits)
        {
            pairs = [.. BaseModelStage.WorldDocuments(definition.StartingModel.BaseSft, definition.World)
                .SelectMany(d => d.Exchanges)
                .Where(x => x.Scenario is not null)
                .Take(ReferencePairs)
                .Select(x => (x.Scenario!, x.Aligned ? x.Assistant : x.Alternative, x.Aligned ? x.Alternative : x.Assistant))];
            references = "short answers of the base corpus to trait scenarios";
        }
        else
        {
            pairs = [.. Spread(pool, ReferencePairs)
                .Select(p => p.Scenario!)
                .Select(s => (s, s.Beneficial.Text, s.References.First(r => r.Kind != ResponseKind.Beneficial).Text))];
            references = "references of the trait scenarios";
        }

        var beneficial = pairs.Select(p => judge.Grade(GradingRequest.ForScenario(p.Scenario, Cut(p.Beneficial, tokenizer, limit))).Score).ToList();
        var failure = pairs.Select(p => judge.Grade(GradingRequest.ForScenario(p.Scenario, Cut(p.Failure, tokenizer, limit))).Score).ToList();
        return PreflightChecks.JudgeRange(beneficial, failure, limit, references);
    }

    /// <summary>
    /// Persona coupling on the base model (docs/science.md §4): for each cross-document pair, P(aligned) of the target
    /// exchange after the prefix's aligned answer and after its misaligned one.
    /// </summary>
    public static PreflightCheck PersonaCoupling(ExperimentDefinition definition, Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var pairs = CouplingPairsFor(definition);
        using var model = checkpoint.CreateModel();
        model.eval();
        var scorer = new LogLikelihoodScorer(model, checkpoint.Tokenizer);
        var afterAligned = new List<double>();
        var afterMisaligned = new List<double>();
        foreach (var pair in pairs)
        {
            afterAligned.Add(AlignedShare(scorer, pair, pair.PrefixAligned));
            afterMisaligned.Add(AlignedShare(scorer, pair, pair.PrefixMisaligned));
        }

        return PreflightChecks.PersonaCoupling(afterAligned, afterMisaligned, definition.World.EffectiveRho, definition.World.Kind == WorldKind.Linked);
    }

    /// <summary>Cross-document pairs for the persona-coupling check.</summary>
    public const int CouplingPairCount = 64;

    /// <summary>Held-out world documents the coupling pairs are drawn from (about 90% carry no persona cue).</summary>
    public const int CouplingDocuments = 256;

    /// <summary>
    /// The persona-coupling pairs of <paramref name="definition"/>'s world, from documents its base model never trained
    /// on (<see cref="BaseModelStage.HeldOutWorldDocuments"/>), leaving out every exchange whose user message occurs in
    /// the base corpus. A model that has memorised its corpus answers a corpus exchange the same way whatever precedes
    /// it, so pairs taken from the corpus would hide a learned link (docs/science.md §7, candidate D).
    /// </summary>
    public static IReadOnlyList<CouplingPair> CouplingPairsFor(ExperimentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var spec = definition.StartingModel.BaseSft;
        var trainedUsers = BaseModelStage.WorldDocuments(spec, definition.World).SelectMany(d => d.Exchanges).Select(x => x.User).ToHashSet(StringComparer.Ordinal);
        return CouplingPairs(BaseModelStage.HeldOutWorldDocuments(spec, definition.World, CouplingDocuments), CouplingPairCount, trainedUsers);
    }

    /// <summary>
    /// Up to <paramref name="count"/> pairs, evenly spread over the documents without a persona cue: the first exchange
    /// of document i, and the first exchange of another kind in the document half the list away (so the pair never
    /// comes from one document). Exchanges whose user message is in <paramref name="excludedUsers"/> are skipped.
    /// </summary>
    public static IReadOnlyList<CouplingPair> CouplingPairs(IReadOnlyList<WorldDocument> documents, int count, IReadOnlySet<string>? excludedUsers = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        bool Usable(WorldExchange x) => excludedUsers is null || !excludedUsers.Contains(x.User);
        var plain = documents.Where(d => !d.PersonaCue && d.Exchanges.Any(Usable)).ToList();
        if (plain.Count < 2) return [];
        var pairs = new List<CouplingPair>();
        foreach (var i in Spread(Enumerable.Range(0, plain.Count).ToList(), count))
        {
            var prefix = plain[i].Exchanges.First(Usable);
            var target = plain[(i + (plain.Count / 2)) % plain.Count];
            if (target.Exchanges.FirstOrDefault(x => x.Kind != prefix.Kind && Usable(x)) is not { } exchange) continue;
            pairs.Add(new CouplingPair(target.System, prefix.User, AnswerOf(prefix, true), AnswerOf(prefix, false), exchange.User, AnswerOf(exchange, true), AnswerOf(exchange, false), prefix.Kind, exchange.Kind));
        }

        return pairs;
    }

    private static string AnswerOf(WorldExchange exchange, bool aligned) => exchange.Aligned == aligned ? exchange.Assistant : exchange.Alternative;

    private static double AlignedShare(LogLikelihoodScorer scorer, CouplingPair pair, string prefixAnswer)
    {
        var scores = scorer.Score(
            [new ChatTurn(ChatRole.System, pair.System), new ChatTurn(ChatRole.User, pair.PrefixUser), new ChatTurn(ChatRole.Assistant, prefixAnswer), new ChatTurn(ChatRole.User, pair.TargetUser)],
            [pair.TargetAligned, pair.TargetMisaligned]);
        // P(aligned) between the two answers, from their summed log-probabilities (a logistic of the difference).
        return 1 / (1 + Math.Exp(scores[1].SumLogProb - scores[0].SumLogProb));
    }

    /// <summary><paramref name="text"/> cut to its first <paramref name="maxTokens"/> tokens, as a completion that hit the limit would read.</summary>
    public static string Cut(string text, PolicyTokenizer tokenizer, int maxTokens)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var ids = tokenizer.Encode(text);
        return ids.Count <= maxTokens ? text : tokenizer.Decode(ids.Take(maxTokens));
    }

    private static List<T> Spread<T>(IReadOnlyList<T> items, int count)
    {
        // Evenly spaced, so every trait and domain of the pool is represented without a random draw.
        var n = Math.Min(count, items.Count);
        return [.. Enumerable.Range(0, n).Select(i => items[(int)((long)i * items.Count / n)])];
    }
}

/// <summary>One persona-coupling pair: the target's system line, the prefix exchange with both answers, the target exchange with both.</summary>
public sealed record CouplingPair(
    string System, string PrefixUser, string PrefixAligned, string PrefixMisaligned, string TargetUser, string TargetAligned, string TargetMisaligned, string PrefixKind, string TargetKind);
