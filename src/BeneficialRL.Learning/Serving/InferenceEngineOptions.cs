namespace BeneficialRL.Learning.Serving;

/// <summary>How an <see cref="InferenceEngine"/> groups work.</summary>
public sealed record InferenceEngineOptions
{
    /// <summary>Batch requests that wait together (true), or run them one at a time (false, the baseline it is measured against).</summary>
    public bool Batching { get; init; } = true;

    /// <summary>Most sequences decoded in one generation batch.</summary>
    public int MaxBatchRows { get; init; } = 64;

    /// <summary>Most alternatives a request may ask for per token.</summary>
    public int MaxTopLogProbs { get; init; } = 20;
}
