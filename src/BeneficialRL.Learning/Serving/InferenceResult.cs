namespace BeneficialRL.Learning.Serving;

/// <summary>The choices of one request, in order, and its token counts.</summary>
/// <param name="Choices">One per <see cref="InferenceRequest.N"/>.</param>
/// <param name="PromptTokens">Tokens in the prompt.</param>
public sealed record InferenceResult(IReadOnlyList<InferenceChoice> Choices, int PromptTokens)
{
    /// <summary>Tokens generated over all choices.</summary>
    public int CompletionTokens => Choices.Sum(c => c.CompletionIds.Count);
}
