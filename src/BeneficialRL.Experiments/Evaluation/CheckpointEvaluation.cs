namespace BeneficialRL.Experiments.Evaluation;

/// <summary>A checkpoint's evaluation: which run and step, and every benchmark's results.</summary>
/// <param name="Arm">Arm name (or <c>base</c>).</param>
/// <param name="Seed">Training seed.</param>
/// <param name="Step">RL steps of the checkpoint.</param>
/// <param name="Benchmarks">Per-benchmark results.</param>
/// <param name="WallSeconds">Evaluation wall time.</param>
public sealed record CheckpointEvaluation(string Arm, long Seed, long Step, IReadOnlyList<BenchmarkEvaluation> Benchmarks, double WallSeconds)
{
    /// <summary>Mean item score over every held-out item (NaN without held-out benchmarks).</summary>
    public double HeldOutMean
    {
        get
        {
            var items = Benchmarks.Where(b => b.Suite == Specs.EvaluationSuites.HeldOut).SelectMany(b => b.Items).ToList();
            return items.Count == 0 ? double.NaN : items.Average(i => i.Score);
        }
    }
}
