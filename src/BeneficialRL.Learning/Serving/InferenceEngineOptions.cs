namespace BeneficialRL.Learning.Serving;

/// <summary>How an <see cref="InferenceEngine"/> groups work.</summary>
public sealed record InferenceEngineOptions
{
    /// <summary>Continuous batching (true), or one submission at a time, each alone in the batch (false, the baseline it is measured against).</summary>
    public bool Batching { get; init; } = true;

    /// <summary>Most sequences decoding at once; further choices wait for a row to finish.</summary>
    public int MaxBatchRows { get; init; } = 64;

    /// <summary>
    /// Most decoding steps a request waits for others to join the running batch with it (it joins at once when the
    /// waiting rows are a quarter of the batch, or the batch is idle).
    /// </summary>
    public int JoinWaitSteps { get; init; } = 4;

    /// <summary>Most alternatives a request may ask for per token.</summary>
    public int MaxTopLogProbs { get; init; } = 20;
}
