using BeneficialRL.Experiments.Stages;

namespace BeneficialRL.Experiments.Compute;

/// <summary>
/// Compute measured after training, per arm, with the largest relative difference between arms for
/// each quantity; <see cref="Mismatch"/> is raised when any exceeds <see cref="Tolerance"/> (2%).
/// </summary>
/// <param name="Arms">Per-arm totals, in arm order.</param>
/// <param name="TokensGeneratedMismatch">max/min − 1 of tokens generated across arms.</param>
/// <param name="TokensTrainedMismatch">max/min − 1 of tokens trained across arms.</param>
/// <param name="FlopsMismatch">max/min − 1 of estimated FLOPs across arms.</param>
public sealed record ComputeLedger(IReadOnlyList<ArmCompute> Arms, double TokensGeneratedMismatch, double TokensTrainedMismatch, double FlopsMismatch)
{
    /// <summary>The relative difference above which arms are flagged as not compute-matched.</summary>
    public const double Tolerance = 0.02;

    /// <summary>Whether any quantity differs by more than <see cref="Tolerance"/> across arms.</summary>
    public bool Mismatch => TokensGeneratedMismatch > Tolerance || TokensTrainedMismatch > Tolerance || FlopsMismatch > Tolerance;

    /// <summary>Sums the step records per arm (in first-seen order) and measures the spread.</summary>
    public static ComputeLedger FromRecords(IEnumerable<TrainingStepRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var arms = records.GroupBy(r => r.Arm, StringComparer.Ordinal)
            .Select(g => new ArmCompute(
                g.Key,
                g.Select(r => r.Seed).Distinct().Count(),
                g.LongCount(),
                g.Sum(r => r.TokensGenerated),
                g.Sum(r => r.TokensTrained),
                g.Sum(r => r.EstimatedFlops),
                g.Sum(r => r.WallSeconds)))
            .ToList();
        return new ComputeLedger(
            arms,
            Spread(arms.Select(a => (double)a.TokensGenerated)),
            Spread(arms.Select(a => (double)a.TokensTrained)),
            Spread(arms.Select(a => a.EstimatedFlops)));
    }

    private static double Spread(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count < 2)
        {
            return 0;
        }

        var min = list.Min();
        var max = list.Max();
        return min <= 0 ? (max <= 0 ? 0 : double.PositiveInfinity) : (max / min) - 1;
    }
}
