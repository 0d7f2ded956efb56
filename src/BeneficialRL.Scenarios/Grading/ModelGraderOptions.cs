namespace BeneficialRL.Scenarios.Grading;

/// <summary>Timeouts, retries and identity of a <see cref="ModelGrader"/>.</summary>
public sealed record ModelGraderOptions
{
    /// <summary>Limit on one attempt (request + response); a timed-out attempt counts as a failure and may be retried.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries after the first attempt, for timeouts, 5xx/429 answers, network errors and unreadable verdicts.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>Delay before the first retry; later retries back off exponentially.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Name used in results and in the cache key, so verdicts of different judge models never mix.</summary>
    public string JudgeName { get; init; } = "model";

    /// <summary>Verdicts kept in the content-hash cache; when full the cache is cleared (bounded memory over long runs).</summary>
    public int MaxCachedVerdicts { get; init; } = 100_000;

    /// <summary>Maximum tokens the judge may produce.</summary>
    public int MaxOutputTokens { get; init; } = 800;
}
