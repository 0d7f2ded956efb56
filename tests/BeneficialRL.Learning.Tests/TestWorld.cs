using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Tokenization;
using TorchSharp;

namespace BeneficialRL.Learning.Tests;

/// <summary>Shared small fixtures: a compact tokenizer over a toy corpus and a very small model shape.</summary>
internal static class TestWorld
{
    public static readonly string[] Fruits = ["apple", "banana", "cherry", "grape", "lemon", "mango", "peach", "plum"];

    public static readonly string[] Corpus =
    [
        .. Fruits.Select(f => $"I pick {f}."),
        "Name a fruit.", "Pick a fruit.", "Choose a fruit.", "Tell me a fruit.",
        "The quick brown fox jumps over the lazy dog.",
        "What is two plus two? Four.",
    ];

    private static readonly Lazy<PolicyTokenizer> LazyTokenizer = new(() => PolicyTokenizer.BuildCompactO200k(Corpus));

    public static PolicyTokenizer Tokenizer => LazyTokenizer.Value;

    public static TransformerConfig SmallConfig(int vocabSize, bool tie = true, int kvHeads = 2) => new()
    {
        VocabSize = vocabSize,
        HiddenSize = 64,
        IntermediateSize = 128,
        NumLayers = 2,
        NumHeads = 4,
        NumKeyValueHeads = kvHeads,
        MaxSequenceLength = 96,
        TieEmbeddings = tie,
    };

    public static PolicyModel NewModel(long seed = 7, bool tie = true) =>
        new(SmallConfig(Tokenizer.VocabularySize, tie), torch.CPU, seed);

    public static float[] Values(torch.Tensor tensor) => tensor.detach().cpu().contiguous().data<float>().ToArray();
}
