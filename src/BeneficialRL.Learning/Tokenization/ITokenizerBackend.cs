namespace BeneficialRL.Learning.Tokenization;

/// <summary>The text ↔ id half of a <see cref="PolicyTokenizer"/>; special tokens are handled by the wrapper.</summary>
internal interface ITokenizerBackend
{
    int VocabularySize { get; }

    SpecialTokenIds Special { get; }

    List<int> Encode(string text);

    string Decode(IEnumerable<int> ids);

    TokenizerDescriptor Describe();
}
