using System.Text.Json.Serialization;

namespace BeneficialRL.Learning.Model;

/// <summary>
/// Shape of a Llama-family decoder-only transformer (RMSNorm, rotary positions, SwiGLU MLP, causal
/// grouped-query attention). Serialised into every checkpoint's <c>meta.json</c>.
/// </summary>
public sealed record TransformerConfig
{
    /// <summary>Number of token ids the embedding and output layers cover.</summary>
    public required int VocabSize { get; init; }

    /// <summary>Width of the residual stream.</summary>
    public required int HiddenSize { get; init; }

    /// <summary>Width of the SwiGLU hidden layer.</summary>
    public required int IntermediateSize { get; init; }

    /// <summary>Number of decoder layers.</summary>
    public required int NumLayers { get; init; }

    /// <summary>Number of query heads.</summary>
    public required int NumHeads { get; init; }

    /// <summary>Number of key/value heads (grouped-query attention when smaller than <see cref="NumHeads"/>).</summary>
    public required int NumKeyValueHeads { get; init; }

    /// <summary>Per-head width; zero means <see cref="HiddenSize"/> / <see cref="NumHeads"/>.</summary>
    public int HeadDimension { get; init; }

    /// <summary>Longest sequence the rotary tables and KV caches are sized for.</summary>
    public int MaxSequenceLength { get; init; } = 512;

    /// <summary>Epsilon inside every RMSNorm.</summary>
    public double RmsNormEpsilon { get; init; } = 1e-5;

    /// <summary>Base of the rotary frequencies.</summary>
    public double RopeTheta { get; init; } = 10_000;

    /// <summary>Whether the output projection reuses the token embedding matrix.</summary>
    public bool TieEmbeddings { get; init; } = true;

    /// <summary>The per-head width actually used.</summary>
    [JsonIgnore]
    public int HeadDim => HeadDimension > 0 ? HeadDimension : HiddenSize / NumHeads;

    /// <summary>CPU default: about 3–4 M parameters with a few thousand-token vocabulary.</summary>
    public static TransformerConfig Tiny(int vocabSize) => new()
    {
        VocabSize = vocabSize,
        HiddenSize = 256,
        IntermediateSize = 704,
        NumLayers = 4,
        NumHeads = 4,
        NumKeyValueHeads = 4,
        MaxSequenceLength = 512,
    };

    /// <summary>A larger preset: about 25–30 M parameters with a few thousand-token vocabulary.</summary>
    public static TransformerConfig Small(int vocabSize) => new()
    {
        VocabSize = vocabSize,
        HiddenSize = 512,
        IntermediateSize = 1408,
        NumLayers = 8,
        NumHeads = 8,
        NumKeyValueHeads = 4,
        MaxSequenceLength = 1024,
    };

    /// <summary>Looks a preset up by name (<c>tiny</c> or <c>small</c>).</summary>
    public static TransformerConfig FromPreset(string preset, int vocabSize) => preset.ToUpperInvariant() switch
    {
        "TINY" => Tiny(vocabSize),
        "SMALL" => Small(vocabSize),
        _ => throw new ArgumentException($"Unknown model preset '{preset}'; expected 'tiny' or 'small'.", nameof(preset)),
    };

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first inconsistent field.</summary>
    public void Validate()
    {
        Require(VocabSize > 0, nameof(VocabSize), "must be positive");
        Require(HiddenSize > 0, nameof(HiddenSize), "must be positive");
        Require(IntermediateSize > 0, nameof(IntermediateSize), "must be positive");
        Require(NumLayers > 0, nameof(NumLayers), "must be positive");
        Require(NumHeads > 0, nameof(NumHeads), "must be positive");
        Require(NumKeyValueHeads > 0 && NumHeads % NumKeyValueHeads == 0, nameof(NumKeyValueHeads), $"must divide NumHeads ({NumHeads})");
        Require(HeadDimension > 0 || HiddenSize % NumHeads == 0, nameof(HeadDimension), "is zero and HiddenSize is not a multiple of NumHeads");
        Require(HeadDim % 2 == 0, nameof(HeadDimension), "must be even for rotary positions");
        Require(MaxSequenceLength > 1, nameof(MaxSequenceLength), "must be at least 2");
        Require(RmsNormEpsilon > 0, nameof(RmsNormEpsilon), "must be positive");
        Require(RopeTheta > 1, nameof(RopeTheta), "must exceed 1");
    }

    /// <summary>Total trainable parameters.</summary>
    [JsonIgnore]
    public long ParameterCount
    {
        get
        {
            long h = HiddenSize, q = (long)NumHeads * HeadDim, kv = (long)NumKeyValueHeads * HeadDim;
            var perLayer = (h * q) + (2 * h * kv) + (q * h) + (3 * h * IntermediateSize) + (2 * h);
            var embeddings = (long)VocabSize * h * (TieEmbeddings ? 1 : 2);
            return (NumLayers * perLayer) + embeddings + h;
        }
    }

    /// <summary>Weights that take part in a matrix product per token (the output projection counts even when tied).</summary>
    [JsonIgnore]
    public long MatmulParameterCount
    {
        get
        {
            long h = HiddenSize, q = (long)NumHeads * HeadDim, kv = (long)NumKeyValueHeads * HeadDim;
            var perLayer = (h * q) + (2 * h * kv) + (q * h) + (3 * h * IntermediateSize);
            return (NumLayers * perLayer) + ((long)VocabSize * h);
        }
    }

    /// <summary>
    /// Forward FLOPs for one token that attends to <paramref name="contextLength"/> positions:
    /// 2 per matmul weight plus the score and value products (2 × 2 × layers × context × heads × headDim).
    /// </summary>
    public double ForwardFlopsPerToken(double contextLength) =>
        (2.0 * MatmulParameterCount) + (4.0 * NumLayers * contextLength * NumHeads * HeadDim);

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"TransformerConfig.{field} {message}.", field);
        }
    }
}
