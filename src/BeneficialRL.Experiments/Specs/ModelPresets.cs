using BeneficialRL.Learning.Model;

namespace BeneficialRL.Experiments.Specs;

/// <summary>Architectures a base stage can start from: the Learning presets plus <c>micro</c>, a very small shape for tests.</summary>
public static class ModelPresets
{
    /// <summary>Known preset names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["micro", "tiny", "small"];

    /// <summary>The configuration of <paramref name="preset"/> for a vocabulary of <paramref name="vocabSize"/> ids.</summary>
    public static TransformerConfig Create(string preset, int vocabSize) => preset.ToUpperInvariant() switch
    {
        "MICRO" => new TransformerConfig
        {
            VocabSize = vocabSize,
            HiddenSize = 64,
            IntermediateSize = 160,
            NumLayers = 2,
            NumHeads = 4,
            NumKeyValueHeads = 4,
            MaxSequenceLength = 384,
        },
        _ => TransformerConfig.FromPreset(preset, vocabSize),
    };
}
