namespace BeneficialRL.Learning.Training;

/// <summary>Linear warmup to <paramref name="PeakLearningRate"/>, then cosine decay to <paramref name="MinimumRatio"/> × peak at <paramref name="TotalSteps"/>.</summary>
/// <param name="PeakLearningRate">Rate reached at the end of warmup.</param>
/// <param name="WarmupSteps">Steps of linear warmup.</param>
/// <param name="TotalSteps">Step at which the decay bottoms out; later steps stay at the floor.</param>
/// <param name="MinimumRatio">Floor as a fraction of the peak.</param>
public sealed record WarmupCosineSchedule(double PeakLearningRate, int WarmupSteps, int TotalSteps, double MinimumRatio = 0.1)
{
    /// <summary>Learning rate for the 0-based <paramref name="step"/>.</summary>
    public double LearningRateAt(long step)
    {
        if (WarmupSteps > 0 && step < WarmupSteps)
        {
            return PeakLearningRate * (step + 1) / WarmupSteps;
        }

        var decaySteps = Math.Max(1, TotalSteps - WarmupSteps);
        var progress = Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0, 1);
        var cosine = 0.5 * (1 + Math.Cos(Math.PI * progress));
        return PeakLearningRate * (MinimumRatio + ((1 - MinimumRatio) * cosine));
    }
}
