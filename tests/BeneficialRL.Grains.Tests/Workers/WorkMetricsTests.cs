using System.Diagnostics.Metrics;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace BeneficialRL.Grains.Tests.Workers;

/// <summary>The <c>BeneficialRL</c> meter records what the workers do (Api.Tests checks the service defaults export it).</summary>
public sealed class WorkMetricsTests
{
    [Fact]
    public void TrainingStep_RecordsStepTokensRewardAndDurationByArm()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new WorkMetrics(services.GetRequiredService<IMeterFactory>());
        var seen = new List<(string Instrument, double Value, string Arm)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == WorkMetrics.MeterName) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => seen.Add((i.Name, v, Arm(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => seen.Add((i.Name, v, Arm(tags))));
        listener.Start();

        metrics.TrainingStep(new TrainingStepRecord
        {
            Step = 3,
            Arm = "treatment",
            Seed = 1,
            MeanReward = 0.625,
            RewardStd = 0.1,
            SliceRewards = new Dictionary<string, SliceRewardStats>(),
            Kl = 0.01,
            Entropy = 1.2,
            ClipFraction = 0,
            ZeroVarianceFraction = 0.25,
            Loss = 0.3,
            LearningRate = 1e-5,
            TokensGenerated = 512,
            TokensTrained = 640,
            EstimatedFlops = 1e9,
            WallSeconds = 0.8,
        });

        Assert.Contains(("beneficialrl.training.steps", 1, "treatment"), seen);
        Assert.Contains(("beneficialrl.training.tokens_generated", 512, "treatment"), seen);
        Assert.Contains(("beneficialrl.training.reward", 0.625, "treatment"), seen);
        Assert.Contains(("beneficialrl.training.step.duration", 0.8, "treatment"), seen);
    }

    private static string Arm(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "arm") return (string)tag.Value!;
        }

        return "";
    }
}
