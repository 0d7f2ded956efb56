using System.Diagnostics.Metrics;
using BeneficialRL.Experiments.Stages;

namespace BeneficialRL.Grains.Telemetry;

/// <summary>
/// The <c>BeneficialRL</c> meter of a trainer silo: what its workers get done, for any OTLP backend (the Aspire
/// dashboard's metrics page): GRPO steps, generated tokens (their rate is tokens/s), step reward and duration,
/// benchmark items evaluated (their rate is items/s), and finished work items by kind and outcome.
/// </summary>
public sealed class WorkMetrics
{
    /// <summary>The meter's name; the service defaults subscribe to it.</summary>
    public const string MeterName = "BeneficialRL";

    private readonly Counter<long> _steps;
    private readonly Counter<long> _tokens;
    private readonly Histogram<double> _reward;
    private readonly Histogram<double> _stepSeconds;
    private readonly Counter<long> _items;
    private readonly Counter<long> _finished;

    /// <summary>Creates the instruments on the silo's meter factory.</summary>
    public WorkMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _steps = meter.CreateCounter<long>("beneficialrl.training.steps", "{step}", "GRPO steps taken, by arm.");
        _tokens = meter.CreateCounter<long>("beneficialrl.training.tokens_generated", "{token}", "Tokens sampled by GRPO rollouts, by arm.");
        _reward = meter.CreateHistogram<double>("beneficialrl.training.reward", null, "Mean reward of a GRPO step, by arm.");
        _stepSeconds = meter.CreateHistogram<double>("beneficialrl.training.step.duration", "s", "Wall time of a GRPO step, by arm.");
        _items = meter.CreateCounter<long>("beneficialrl.evaluation.items", "{item}", "Benchmark items evaluated, by benchmark.");
        _finished = meter.CreateCounter<long>("beneficialrl.work.finished", "{item}", "Work items finished, by kind (job, benchmark-run, persistence-run) and outcome.");
    }

    /// <summary>Records one GRPO step.</summary>
    public void TrainingStep(TrainingStepRecord step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var arm = new KeyValuePair<string, object?>("arm", step.Arm);
        _steps.Add(1, arm);
        _tokens.Add(step.TokensGenerated, arm);
        _reward.Record(step.MeanReward, arm);
        _stepSeconds.Record(step.WallSeconds, arm);
    }

    /// <summary>Records <paramref name="items"/> items of <paramref name="benchmarkId"/> evaluated.</summary>
    public void ItemsEvaluated(string benchmarkId, int items) => _items.Add(items, new KeyValuePair<string, object?>("benchmark", benchmarkId));

    /// <summary>Records a work item of <paramref name="kind"/> reaching <paramref name="outcome"/> (completed, failed).</summary>
    public void Finished(string kind, string outcome) =>
        _finished.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));
}
