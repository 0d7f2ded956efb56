using System.Diagnostics;
using System.Text.Json;
using BeneficialRL.Analysis;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.Durability;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Scoring;
using BeneficialRL.Evaluation.Policies;
using BeneficialRL.Durability.Adversarial;
using BeneficialRL.Durability.Attacks;
using BeneficialRL.Durability.FineTuning;
using BeneficialRL.Primitives.Hashing;

namespace BeneficialRL.Durability.Running;

/// <summary>
/// Runs a persistence spec on named checkpoints: adversarial prompting on each, then a harmful fine-tuning dose ladder
/// from each, then the comparisons of every subject with the reference. Model work (scoring, generation, SFT) runs
/// synchronously on the calling thread, which the caller dedicates to it; only <c>onDoseCheckpoint</c> may truly await.
/// </summary>
public static class PersistenceRunner
{
    /// <summary>Runs <paramref name="spec"/>.</summary>
    /// <param name="spec">What to run; validated first.</param>
    /// <param name="subjects">Named checkpoints (owned by the caller, not modified).</param>
    /// <param name="referenceName">The subject every other is compared with (e.g. <c>baseline</c>); null for none (replicates of one checkpoint, which are not compared with each other).</param>
    /// <param name="onDoseCheckpoint">Receives each positive dose's checkpoint with its lineage (e.g. to store it); may be null.</param>
    /// <param name="progress">Progress per benchmark × condition and per dose.</param>
    /// <param name="cancellationToken">Stops between batches and steps.</param>
    /// <param name="catalogue">Benchmarks (ids in the spec resolve here; the corpus is kept apart from all of them); built-in + held-out when null.</param>
    /// <param name="attacks">The attack library; <see cref="AttackLibrary.Default"/> when null.</param>
    /// <param name="corpus">The harmful corpus, built by the caller; required when the spec's corpus source is <see cref="HarmfulCorpusSource.World"/> (only an experiment has a world), else built from scenarios when null.</param>
    /// <exception cref="ArgumentException">The spec is invalid (every error with its JSON path), subject names repeat, or the reference is not a subject.</exception>
    public static async Task<PersistenceResult> RunAsync(
        PersistenceSpec spec,
        IReadOnlyList<PersistenceSubject> subjects,
        string? referenceName,
        Func<DoseCheckpoint, CancellationToken, Task>? onDoseCheckpoint,
        IProgress<PersistenceProgress>? progress,
        CancellationToken cancellationToken,
        BenchmarkCatalogue? catalogue = null,
        AttackLibrary? attacks = null,
        HarmfulCorpus? corpus = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(subjects);
        catalogue ??= DefaultCatalogue.Instance;
        attacks ??= AttackLibrary.Default;
        // A world corpus can only come from the caller (an experiment), so one was given exactly when a world exists.
        var errors = spec.Validate(catalogue, attacks, hasWorld: corpus is not null);
        if (errors.Count > 0)
        {
            throw new ArgumentException("The persistence spec is invalid: " + string.Join("; ", errors), nameof(spec));
        }

        ValidateSubjects(subjects, referenceName);

        var analysis = spec.ToAnalysisOptions();
        var timings = new List<PhaseTiming>();

        var adversarial = new List<SubjectAdversarialResult>();
        if (spec.Adversarial.Enabled)
        {
            var a = spec.Adversarial;
            var benchmarks = AdversarialSuite.Select(catalogue, a.Benchmarks).Select(b => ItemSubset.With(b, ItemSubset.Spread(b.Items, a.MaxItemsPerBenchmark))).ToList();
            var chosen = a.Attacks is { Count: > 0 } ? a.Attacks.Select(attacks.Get).ToList() : attacks.Attacks;
            var options = new AdversarialOptions { SamplesPerItem = a.SamplesPerItem, MaxNewTokens = a.MaxNewTokens };
            foreach (var subject in subjects)
            {
                var clock = Stopwatch.StartNew();
                using var model = subject.Checkpoint.CreateModel();
                model.eval();
                var policy = new LearningPolicyModel(model, subject.Checkpoint.Tokenizer);
                adversarial.Add(await AdversarialEvaluator.EvaluateAsync(policy, subject.Name, benchmarks, chosen, options, analysis, progress, cancellationToken).ConfigureAwait(false));
                timings.Add(new PhaseTiming(PersistenceProgress.Adversarial, subject.Name, clock.Elapsed.TotalSeconds));
            }
        }

        CorpusSummary? corpusSummary = null;
        var fineTuning = new List<SubjectFineTuningResult>();
        if (spec.FineTuning.Enabled)
        {
            var f = spec.FineTuning;
            var clock = Stopwatch.StartNew();
            corpus ??= HarmfulCorpusBuilder.Build(f.Domain, f.CorpusSeed, f.CorpusSize, catalogue.Benchmarks);
            corpusSummary = new CorpusSummary(corpus.Domain, corpus.Seed, corpus.Examples.Count, corpus.ContentHash, corpus.DroppedForOverlap, corpus.Contamination.SourceItems, corpus.Contamination.CandidatesWithOverlap);
            var suite = FineTuningSuite.Build(catalogue, f.Domain, f.Benchmarks, f.MaxInDomainItemsPerBenchmark, f.MaxOutOfDomainItemsPerBenchmark);
            timings.Add(new PhaseTiming("corpus", "", clock.Elapsed.TotalSeconds));
            var ladderOptions = new DoseLadderOptions { Doses = f.Doses, LearningRate = f.LearningRate, BatchSize = f.BatchSize, Seed = f.Seed };
            var runOptions = new AdversarialOptions().ToRunOptions();
            foreach (var subject in subjects)
            {
                clock.Restart();
                var rungs = await DoseLadder.RunAsync(
                    subject.Name,
                    subject.Checkpoint,
                    corpus,
                    ladderOptions with { Seed = subject.LadderSeed ?? f.Seed },
                    onDoseCheckpoint,
                    async (dose, model, tokenizer, ct) =>
                    {
                        var evaluation = await DoseEvaluator.EvaluateAsync(new LearningPolicyModel(model, tokenizer), suite, runOptions, ct).ConfigureAwait(false);
                        progress?.Report(new PersistenceProgress(PersistenceProgress.FineTuning, subject.Name, f.Doses.ToList().IndexOf(dose) + 1, f.Doses.Count,
                            $"{subject.Name}: dose {dose} in-domain {Mean(evaluation.InDomain):0.000} out-of-domain {Mean(evaluation.OutOfDomain):0.000}"));
                        return evaluation;
                    },
                    cancellationToken).ConfigureAwait(false);
                fineTuning.Add(Summarise(subject.Name, f.Domain, rungs, catalogue, analysis, spec.Analysis.HalfLifeFloor, clock.Elapsed.TotalSeconds));
                timings.Add(new PhaseTiming(PersistenceProgress.FineTuning, subject.Name, clock.Elapsed.TotalSeconds));
            }
        }

        var analysisClock = Stopwatch.StartNew();
        var adversarialComparisons = new List<AdversarialComparison>();
        var fineTuningComparisons = new List<FineTuningComparison>();
        var reference = referenceName ?? "";
        foreach (var subject in referenceName is null ? [] : subjects.Where(s => s.Name != reference))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (adversarial.Count > 0)
            {
                adversarialComparisons.Add(AdversarialComparison.Compare(adversarial.First(r => r.Subject == subject.Name), adversarial.First(r => r.Subject == reference), analysis));
            }

            if (fineTuning.Count > 0)
            {
                var s = fineTuning.First(r => r.Subject == subject.Name);
                var r = fineTuning.First(r => r.Subject == reference);
                fineTuningComparisons.AddRange(CompareFineTuning(s, r, catalogue, analysis, spec.Analysis.HalfLifeFloor));
            }
        }

        progress?.Report(new PersistenceProgress(PersistenceProgress.Analysis, "", 1, 1,
            referenceName is null ? $"{subjects.Count} subject(s), no reference: not compared" : $"compared {subjects.Count - 1} subject(s) with {reference}"));
        timings.Add(new PhaseTiming(PersistenceProgress.Analysis, "", analysisClock.Elapsed.TotalSeconds));
        return new PersistenceResult(
            spec,
            Sha256Hex.Of(JsonSerializer.SerializeToUtf8Bytes(spec, PersistenceJson.Options)),
            reference,
            [.. subjects.Select(s => s.Name)],
            attacks.Version,
            adversarial,
            adversarialComparisons,
            corpusSummary,
            fineTuning,
            fineTuningComparisons,
            timings);
    }

    private static void ValidateSubjects(IReadOnlyList<PersistenceSubject> subjects, string? referenceName)
    {
        if (subjects.Count == 0)
        {
            throw new ArgumentException("A persistence run needs at least one subject.", nameof(subjects));
        }

        for (var i = 0; i < subjects.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(subjects[i]?.Name) || subjects[i].Checkpoint is null)
            {
                throw new ArgumentException($"subjects[{i}] needs a name and a checkpoint.", nameof(subjects));
            }

            if (subjects.Take(i).Any(s => s.Name == subjects[i].Name))
            {
                throw new ArgumentException($"subjects[{i}] repeats the name '{subjects[i].Name}'; subject names must be unique.", nameof(subjects));
            }
        }

        if (referenceName is not null && !subjects.Any(s => s.Name == referenceName))
        {
            throw new ArgumentException($"The reference '{referenceName}' is not one of the subjects ({string.Join(", ", subjects.Select(s => s.Name))}).", nameof(referenceName));
        }
    }

    internal static SubjectFineTuningResult Summarise(string subject, string domain, IReadOnlyList<DoseRung<DoseEvaluation>> rungs, BenchmarkCatalogue catalogue, AnalysisOptions analysis, double? floor, double seconds)
    {
        var results = rungs.Select(r => new DoseRungResult(
            r.Lineage,
            r.MeanLoss,
            Mean(r.Evaluation.InDomain) * analysis.PointsPerUnit,
            Mean(r.Evaluation.OutOfDomain) * analysis.PointsPerUnit,
            r.Evaluation.InDomain,
            r.Evaluation.OutOfDomain)).ToList();
        var groupOf = GroupOf(catalogue);
        var delta = new List<DeltaRow>();
        foreach (var (scope, select) in Scopes)
        {
            var before = select(results[0]);
            var after = select(results[^1]);
            foreach (var group in before.GroupBy(i => groupOf(i.BenchmarkId)).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var afterGroup = after.Where(i => groupOf(i.BenchmarkId) == group.Key).ToList();
                if (group.Count() >= 2 && afterGroup.Count >= 2)
                {
                    delta.Add(new DeltaRow(scope, group.Key, PairedDegradation.Of(new PersistenceArm([.. group], afterGroup), $"{subject}/{scope}/{group.Key}", analysis)));
                }
            }
        }

        return new SubjectFineTuningResult(
            subject,
            domain,
            results,
            HalfLife(results, r => r.InDomain, floor, analysis),
            HalfLife(results, r => r.OutOfDomain, floor, analysis),
            delta,
            seconds);
    }

    private static IEnumerable<FineTuningComparison> CompareFineTuning(SubjectFineTuningResult subject, SubjectFineTuningResult reference, BenchmarkCatalogue catalogue, AnalysisOptions analysis, double? floor)
    {
        var groupOf = GroupOf(catalogue);
        foreach (var (scope, select) in Scopes)
        {
            var s = new PersistenceArm(select(subject.Rungs[0]), select(subject.Rungs[^1]));
            var r = new PersistenceArm(select(reference.Rungs[0]), select(reference.Rungs[^1]));
            if (select(subject.Rungs[0]).Count < 2 || select(reference.Rungs[0]).Count < 2)
            {
                continue;
            }

            yield return new FineTuningComparison(
                subject.Subject,
                reference.Subject,
                scope,
                DegradationAnalysis.Compare(s, r, analysis),
                DegradationAnalysis.DeltaTable(s, r, groupOf, analysis),
                AlignmentHalfLife.Compare(Ladder(subject.Rungs, select), Ladder(reference.Rungs, select), floor, analysis));
        }
    }

    private static readonly (string Scope, Func<DoseRungResult, IReadOnlyList<ItemScore>> Select)[] Scopes =
    [
        (DeltaRow.InDomain, r => r.InDomain),
        (DeltaRow.OutOfDomain, r => r.OutOfDomain),
    ];

    private static HalfLifeEstimate? HalfLife(IReadOnlyList<DoseRungResult> rungs, Func<DoseRungResult, IReadOnlyList<ItemScore>> select, double? floor, AnalysisOptions analysis) =>
        select(rungs[0]).Count < 2 ? null : AlignmentHalfLife.Estimate(Ladder(rungs, select), floor, analysis);

    private static List<DoseLevel> Ladder(IReadOnlyList<DoseRungResult> rungs, Func<DoseRungResult, IReadOnlyList<ItemScore>> select) =>
        [.. rungs.Select(r => new DoseLevel(r.Lineage.Dose, select(r)))];

    private static Func<string, string> GroupOf(BenchmarkCatalogue catalogue) =>
        id => catalogue.TryGet(id, out var benchmark) ? benchmark.Definition.Family : id;

    private static double Mean(IReadOnlyList<ItemScore> scores) => scores.Count == 0 ? double.NaN : scores.Average(s => s.Score);
}
