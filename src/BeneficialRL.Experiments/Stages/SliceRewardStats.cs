namespace BeneficialRL.Experiments.Stages;

/// <summary>Reward statistics of one slice at one step.</summary>
/// <param name="Count">Scored samples.</param>
/// <param name="Mean">Mean reward.</param>
/// <param name="Std">Population standard deviation.</param>
public sealed record SliceRewardStats(int Count, double Mean, double Std)
{
    /// <summary>Statistics of <paramref name="rewards"/>.</summary>
    public static SliceRewardStats Of(IReadOnlyList<double> rewards)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        if (rewards.Count == 0)
        {
            return new SliceRewardStats(0, 0, 0);
        }

        var mean = rewards.Average();
        return new SliceRewardStats(rewards.Count, mean, Math.Sqrt(rewards.Average(r => (r - mean) * (r - mean))));
    }
}
