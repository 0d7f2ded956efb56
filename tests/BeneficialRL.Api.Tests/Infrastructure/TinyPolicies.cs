using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Tokenization;

namespace BeneficialRL.Api.Tests.Infrastructure;

/// <summary>Makes small, randomly initialised policies as the two files an evaluable checkpoint import takes.</summary>
public static class TinyPolicies
{
    /// <summary>The weights (safetensors) and meta.json of a 2-layer policy whose tokenizer covers <paramref name="corpus"/>.</summary>
    public static (byte[] Weights, byte[] Meta) Create(IEnumerable<string> corpus, long seed = 1)
    {
        var tokenizer = PolicyTokenizer.BuildCompactO200k(corpus);
        var config = TransformerConfig.Tiny(tokenizer.VocabularySize) with { HiddenSize = 64, IntermediateSize = 128, NumLayers = 2, NumHeads = 2, NumKeyValueHeads = 2 };
        using var model = new PolicyModel(config, seed: seed);
        using var checkpoint = Checkpoint.Capture(model, tokenizer);
        using var weights = new MemoryStream();
        using var meta = new MemoryStream();
        checkpoint.WriteWeights(weights);
        checkpoint.WriteMetadata(meta);
        return (weights.ToArray(), meta.ToArray());
    }

    /// <summary>A multipart body for <c>POST /api/v1/checkpoints</c>.</summary>
    public static MultipartFormDataContent Form(byte[] weights, byte[] meta) => new()
    {
        { new ByteArrayContent(weights), "weights", "model.safetensors" },
        { new ByteArrayContent(meta), "meta", "meta.json" },
    };
}
