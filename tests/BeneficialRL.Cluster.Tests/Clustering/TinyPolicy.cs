using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Tokenization;

namespace BeneficialRL.Cluster.Tests.Clustering;

/// <summary>
/// The smallest evaluable checkpoint: a randomly initialised 1-layer policy, as the multipart import takes it
/// (<c>weights</c> + <c>meta</c>). Runs on weights-only checkpoints are refused with 409, so placement tests need one.
/// </summary>
internal static class TinyPolicy
{
    /// <summary>A multipart body for <c>POST /api/v1/checkpoints</c>.</summary>
    public static MultipartFormDataContent Form()
    {
        var tokenizer = PolicyTokenizer.BuildCompactO200k(["a tiny policy for cluster placement tests"]);
        var config = TransformerConfig.Tiny(tokenizer.VocabularySize) with { HiddenSize = 32, IntermediateSize = 64, NumLayers = 1, NumHeads = 2, NumKeyValueHeads = 2 };
        using var model = new PolicyModel(config, seed: 1);
        using var checkpoint = Checkpoint.Capture(model, tokenizer);
        using var weights = new MemoryStream();
        using var meta = new MemoryStream();
        checkpoint.WriteWeights(weights);
        checkpoint.WriteMetadata(meta);
        return new MultipartFormDataContent
        {
            { new ByteArrayContent(weights.ToArray()), "weights", "model.safetensors" },
            { new ByteArrayContent(meta.ToArray()), "meta", "meta.json" },
        };
    }
}
