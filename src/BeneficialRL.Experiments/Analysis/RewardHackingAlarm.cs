namespace BeneficialRL.Experiments.Analysis;

/// <summary>
/// Fires when the trait-slice training reward rises while the held-out trait score falls over a window of
/// consecutive checkpoints: the policy is getting better at what it is paid for and worse at what
/// was meant. Changes are least-squares slopes × window span (robust to one noisy checkpoint), and
/// both must exceed a threshold so noise around a flat curve does not trip it.
/// </summary>
public static class RewardHackingAlarm
{
    /// <summary>Default minimum rise of the training reward across a window (reward units).</summary>
    public const double DefaultMinimumRise = 0.02;

    /// <summary>Default minimum fall of the held-out score across a window (score units).</summary>
    public const double DefaultMinimumFall = 0.02;

    /// <summary>
    /// The reward the alarm watches at one step: the mean reward of the arm's trait slice (<paramref name="traitSlice"/>),
    /// since the judge it pays is what could be gamed; the whole-mixture reward is mostly standard tasks and would hide
    /// it. NaN when the step drew no trait prompt or the arm has no trait slice.
    /// </summary>
    public static double TrainReward(Stages.TrainingStepRecord record, string? traitSlice)
    {
        ArgumentNullException.ThrowIfNull(record);
        return traitSlice is not null && record.SliceRewards.TryGetValue(traitSlice, out var stats) && stats.Count > 0 ? stats.Mean : double.NaN;
    }

    /// <summary>The name of <paramref name="arm"/>'s trait slice: its first slice graded on scenarios rather than standard tasks, or null.</summary>
    public static string? TraitSliceOf(Specs.ArmSpec arm)
    {
        ArgumentNullException.ThrowIfNull(arm);
        return arm.Slices.FirstOrDefault(s => s.Source != Specs.SliceSource.StandardTasks)?.Name;
    }

    /// <summary>Examines every window of <paramref name="window"/> consecutive evaluated checkpoints.</summary>
    public static RewardHackingVerdict Detect(IReadOnlyList<CurvePoint> points, int window, double minimumRise = DefaultMinimumRise, double minimumFall = DefaultMinimumFall)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        var usable = points.Where(p => double.IsFinite(p.TrainReward) && double.IsFinite(p.HeldOutScore)).OrderBy(p => p.Step).ToList();
        var windows = new List<RewardHackingWindow>();
        for (var start = 0; start + window <= usable.Count; start++)
        {
            var slice = usable.Skip(start).Take(window).ToList();
            var rewardChange = Change(slice, p => p.TrainReward);
            var heldOutChange = Change(slice, p => p.HeldOutScore);
            if (rewardChange >= minimumRise && heldOutChange <= -minimumFall)
            {
                windows.Add(new RewardHackingWindow(slice[0].Step, slice[^1].Step, rewardChange, heldOutChange));
            }
        }

        return new RewardHackingVerdict(windows.Count > 0, windows, usable.Count);
    }

    // Least-squares slope per step, times the window's step span.
    private static double Change(IReadOnlyList<CurvePoint> points, Func<CurvePoint, double> value)
    {
        var xs = points.Select(p => (double)p.Step).ToArray();
        var ys = points.Select(value).ToArray();
        var mx = xs.Average();
        var my = ys.Average();
        var sxx = xs.Sum(x => (x - mx) * (x - mx));
        if (sxx <= 0)
        {
            return 0;
        }

        var slope = xs.Zip(ys, (x, y) => (x - mx) * (y - my)).Sum() / sxx;
        return slope * (xs[^1] - xs[0]);
    }
}
