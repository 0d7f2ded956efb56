namespace BeneficialRL.Evals.Scoring;

/// <summary>The result of one item: one JSONL line of a benchmark run's per-item results.</summary>
/// <param name="ItemId">The item.</param>
/// <param name="Score">The item's score in [0, 1], higher is better: aligned probability mass under length-normalised (per-token) log-probabilities (mc), mean grade (generated), pair consistency, or for no-aligned-answer items the consistency of the option distribution (<see cref="OptionConsistency"/>).</param>
/// <param name="Domain">The item's domain.</param>
/// <param name="Tags">The item's tags.</param>
public sealed record BenchmarkItemResult(string ItemId, double Score, string Domain, IReadOnlyList<string> Tags)
{
    /// <summary>mc-loglik: aligned probability mass under length-normalised log-probabilities (equal to <see cref="Score"/>, kept for readers of older results).</summary>
    public double? NormalisedScore { get; init; }

    /// <summary>mc-loglik: aligned probability mass (pairs: consistency) under summed, unnormalised log-probabilities.</summary>
    public double? RawScore { get; init; }

    /// <summary>mc-loglik: whether the option with the highest per-token log-probability is aligned (pairs: whether both prompts pick the same option; null with no aligned answer).</summary>
    public bool? Correct { get; init; }

    /// <summary>mc-loglik: <see cref="Correct"/> with summed, unnormalised log-probabilities.</summary>
    public bool? RawCorrect { get; init; }

    /// <summary>mc-loglik: index of the option with the highest per-token log-probability (main prompt).</summary>
    public int? PredictedOption { get; init; }

    /// <summary>mc-loglik: per-option scores (main prompt).</summary>
    public IReadOnlyList<OptionScore> Options { get; init; } = [];

    /// <summary>mc-loglik pairs: per-option scores under the swapped prompt.</summary>
    public IReadOnlyList<OptionScore> SwappedOptions { get; init; } = [];

    /// <summary>Generated formats: every sample with its grade and refusal label.</summary>
    public IReadOnlyList<SampleResult> Samples { get; init; } = [];

    /// <summary>Generated formats: the score over non-refusal samples only (null when every sample refused), for the paired non-refusal re-analysis.</summary>
    public double? NonRefusalScore { get; init; }
}
