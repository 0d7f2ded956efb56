namespace BeneficialRL.Contracts.Inference;

/// <summary>
/// Inference on one checkpoint (key <c>{tenant}/{checkpointId}</c>), placed on trainer silos, where checkpoints are
/// loaded: the silo keeps recently used checkpoints warm and batches the requests that reach one together. Callers
/// check that the checkpoint exists and is evaluable first.
/// </summary>
public interface IInferenceGrain : IGrainWithStringKey
{
    /// <summary>
    /// Completes every prompt of <paramref name="job"/>; a request that does not fit the model comes back as
    /// <see cref="InferenceOutcome.Error"/>. Cancelling <paramref name="cancellationToken"/> (a client that went away)
    /// takes the job's rows out of the running batch at the next token.
    /// </summary>
    Task<InferenceOutcome> CompleteAsync(InferenceJob job, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes <paramref name="job"/> as a stream: text deltas as they become final, then one delta per choice with its
    /// finish reason, then one with the usage. A request that does not fit the model yields one delta with an error.
    /// Cancelling the enumeration, or abandoning it, takes the job's rows out of the running batch at the next token.
    /// </summary>
    IAsyncEnumerable<InferenceDelta> StreamAsync(InferenceJob job, CancellationToken cancellationToken = default);

    /// <summary>Token ids of a text or a conversation (rendered with the chat template).</summary>
    Task<TokenizeOutcome> TokenizeAsync(TokenizeJob job);

    /// <summary>Text of token ids (control tokens dropped); ids outside the vocabulary are an error.</summary>
    Task<DetokenizeOutcome> DetokenizeAsync(int[] tokens);

    /// <summary>The tokenizer's special tokens, chat template and limits.</summary>
    Task<TokenizerSummary> GetTokenizerAsync();
}
