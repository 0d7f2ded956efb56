using BeneficialRL.Evals.Definitions;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Tokenization;
using TorchSharp;

namespace BeneficialRL.Durability.Tests;

/// <summary>Shared fixtures: the shipped benchmark catalogue, a compact tokenizer over its text, and micro checkpoints.</summary>
internal static class TestWorld
{
    private static readonly Lazy<BenchmarkCatalogue> LazyCatalogue = new(BenchmarkSuites.All);

    private static readonly Lazy<PolicyTokenizer> LazyTokenizer = new(() =>
        PolicyTokenizer.BuildCompactO200k(Catalogue.Benchmarks.SelectMany(b => b.Items.Take(40)).SelectMany(i => i.Options.Select(o => o.Text).Append(i.Prompt.AllText))));

    public static BenchmarkCatalogue Catalogue => LazyCatalogue.Value;

    public static PolicyTokenizer Tokenizer => LazyTokenizer.Value;

    /// <summary>A very small decoder: fast enough for SFT and scoring in tests, long enough for many-shot prompts.</summary>
    public static TransformerConfig MicroConfig() => new()
    {
        VocabSize = Tokenizer.VocabularySize,
        HiddenSize = 64,
        IntermediateSize = 128,
        NumLayers = 2,
        NumHeads = 4,
        NumKeyValueHeads = 2,
        MaxSequenceLength = 640,
    };

    /// <summary>A freshly initialised micro checkpoint (the caller disposes it).</summary>
    public static Checkpoint MicroCheckpoint(long seed)
    {
        using var model = new PolicyModel(MicroConfig(), torch.CPU, seed);
        return Checkpoint.Capture(model, Tokenizer);
    }
}
