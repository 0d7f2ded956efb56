using BeneficialRL.Learning.Tokenization;

namespace BeneficialRL.Learning.Model;

/// <summary>A model and tokenizer read from a Hugging Face checkpoint; disposing frees the model.</summary>
/// <param name="Model">The network with the imported weights.</param>
/// <param name="Tokenizer">The checkpoint's tokenizer.json.</param>
public sealed record ImportedPolicy(PolicyModel Model, PolicyTokenizer Tokenizer) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
