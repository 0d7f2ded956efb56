using System.Diagnostics;
using System.Globalization;
using BeneficialRL.Scenarios.Contamination;
using BeneficialRL.Scenarios.Generation;
using BeneficialRL.Scenarios.Grading;
using BeneficialRL.Scenarios.Schema;
using BeneficialRL.Scenarios.StandardTasks;
using BeneficialRL.Scenarios.Text;

namespace BeneficialRL.Perf.Scenarios;

/// <summary>
/// The scenario world: generator throughput, built-in judge throughput and agreement with reference
/// labels, variety of user turns (distinct-n), train/held-out contamination, standard-task throughput.
/// Options: <c>--seed N</c> (default 42), <c>--per-cell N</c> (training items per trait × domain cell).
/// </summary>
public sealed class ScenariosPerf : IPerfMeasurement
{
    /// <inheritdoc />
    public string Name => "scenarios";

    /// <inheritdoc />
    public string Description => "Scenario generator and built-in judge throughput, distinct-n variety, train/held-out contamination.";

    /// <inheritdoc />
    public Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var seed = Option(args, "--seed", 42);
        var perCell = Option(args, "--per-cell", ScenarioGenerator.DefaultTrainingPerCell);
        var generator = new ScenarioGenerator();
        _ = generator.Generate("truthfulness", "health", ScenarioSplit.Train, seed, 0); // load banks outside the timing

        var clock = Stopwatch.StartNew();
        var training = generator.GenerateTraining(seed, perCell).ToList();
        var trainSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var heldOut = generator.GenerateHeldOut(seed).ToList();
        var heldOutSeconds = clock.Elapsed.TotalSeconds;
        cancellationToken.ThrowIfCancellationRequested();

        // Judge: every reference response of every 4th training item and every held-out item.
        var judge = new BuiltInJudge();
        var graded = 0;
        int agree = 0, criteria = 0;
        clock.Restart();
        foreach (var scenario in training.Where((_, i) => i % 4 == 0).Concat(heldOut))
        {
            foreach (var reference in scenario.References)
            {
                var result = judge.Grade(GradingRequest.ForScenario(scenario, reference.Text));
                graded++;
                foreach (var c in result.Criteria)
                {
                    criteria++;
                    agree += c.Passed == reference.Labels[c.Id] ? 1 : 0;
                }
            }
        }

        var judgeSeconds = clock.Elapsed.TotalSeconds;
        cancellationToken.ThrowIfCancellationRequested();

        var users = training.Select(s => s.UserText).ToList();
        var heldOutUsers = heldOut.Select(s => s.UserText).ToList();
        clock.Restart();
        var contamination = ContaminationChecker.Compare(ContaminationItem.FromScenarios(training), ContaminationItem.FromScenarios(heldOut));
        var contaminationSeconds = clock.Elapsed.TotalSeconds;

        var tasks = new StandardTaskGenerator();
        clock.Restart();
        var standard = tasks.Generate(seed, 10_000).ToList();
        var standardSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var standardScore = standard.Sum(t => StandardTaskGrader.Grade(t, t.ExpectedAnswer ?? "- a\n- b\n- c").Score);
        var standardGradeSeconds = clock.Elapsed.TotalSeconds;

        string F(double v, string format = "N0") => v.ToString(format, CultureInfo.InvariantCulture);
        output.WriteLine($"Scenario world, seed {seed}, {perCell} training items per trait x domain cell, {Environment.ProcessorCount} cores.");
        output.WriteLine();
        output.WriteLine("| measure | value |");
        output.WriteLine("|---|---|");
        output.WriteLine($"| training scenarios generated | {F(training.Count)} in {F(trainSeconds, "F2")} s = **{F(training.Count / trainSeconds)} scenarios/s** |");
        output.WriteLine($"| held-out scenarios generated | {F(heldOut.Count)} in {F(heldOutSeconds, "F2")} s = {F(heldOut.Count / heldOutSeconds)} scenarios/s |");
        output.WriteLine($"| smallest trait x domain cell | {F(training.GroupBy(s => (s.Trait, s.Domain)).Min(g => g.Count()))} |");
        output.WriteLine($"| distinct user turns | {F(users.Distinct(StringComparer.Ordinal).Count())} |");
        output.WriteLine($"| built-in judge | {F(graded)} responses in {F(judgeSeconds, "F2")} s = **{F(graded / judgeSeconds)} graded responses/s** |");
        output.WriteLine($"| reference labels consistent with the phrase banks (true by construction; not judge accuracy, see docs/science/judge.md) | {F(100.0 * agree / criteria, "F2")}% of {F(criteria)} criteria |");
        output.WriteLine($"| distinct-1 / 2 / 3, training user turns | {F(TextVariety.DistinctN(users, 1), "F4")} / {F(TextVariety.DistinctN(users, 2), "F4")} / {F(TextVariety.DistinctN(users, 3), "F4")} |");
        // Distinct-n falls as a corpus grows, so also report it on a fixed-size sample (every 20th item) for comparison with other corpora.
        var sample = users.Where((_, i) => i % 20 == 0).Take(1_000).ToList();
        output.WriteLine($"| distinct-1 / 2 / 3, 1,000 training user turns | {F(TextVariety.DistinctN(sample, 1), "F4")} / {F(TextVariety.DistinctN(sample, 2), "F4")} / {F(TextVariety.DistinctN(sample, 3), "F4")} |");
        output.WriteLine($"| distinct-1 / 2 / 3, held-out user turns | {F(TextVariety.DistinctN(heldOutUsers, 1), "F4")} / {F(TextVariety.DistinctN(heldOutUsers, 2), "F4")} / {F(TextVariety.DistinctN(heldOutUsers, 3), "F4")} |");
        output.WriteLine($"| held-out items sharing a 13-gram with training | {F(contamination.CandidatesWithOverlap)} of {F(contamination.CandidateItems)} ({F(100 * contamination.OverlapRate, "F1")}%) |");
        output.WriteLine($"| held-out near-duplicates of training (Jaccard >= 0.7) | {F(contamination.NearDuplicateCount)} |");
        output.WriteLine($"| contamination check time | {F(contaminationSeconds, "F2")} s |");
        output.WriteLine($"| standard tasks generated | {F(standard.Count)} in {F(standardSeconds, "F2")} s = {F(standard.Count / standardSeconds)} tasks/s |");
        output.WriteLine($"| standard tasks graded | {F(standard.Count / standardGradeSeconds)} responses/s (mean score of reference answers {F(standardScore / standard.Count, "F3")}) |");
        if (contamination.WorstOverlaps.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Worst held-out overlaps with training (shared framing sentences):");
            output.WriteLine();
            output.WriteLine(contamination.ToMarkdown());
        }

        return Task.FromResult(0);
    }

    private static int Option(IReadOnlyList<string> args, string name, int fallback)
    {
        for (var i = 0; i + 1 < args.Count; i++)
        {
            if (args[i] == name)
            {
                return int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
                    ? value
                    : throw new ArgumentException($"{name} expects a positive integer, got '{args[i + 1]}'.");
            }
        }

        return fallback;
    }
}
