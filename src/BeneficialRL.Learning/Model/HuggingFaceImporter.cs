using System.Text.Json;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Learning.Tokenization;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Model;

/// <summary>
/// Imports Llama-family checkpoints in the Hugging Face layout: <c>config.json</c>,
/// <c>model.safetensors</c> (or shards listed in <c>model.safetensors.index.json</c>) and
/// <c>tokenizer.json</c>. Tensor names map one to one onto <see cref="PolicyModel"/>'s parameters.
/// </summary>
public static class HuggingFaceImporter
{
    private static readonly string[] SupportedModelTypes = ["llama", "mistral"];

    /// <summary>Loads the checkpoint in <paramref name="directory"/> onto <paramref name="device"/>.</summary>
    public static ImportedPolicy Load(string directory, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var configPath = Path.Combine(directory, "config.json");
        var tokenizerPath = Path.Combine(directory, "tokenizer.json");
        var indexPath = Path.Combine(directory, "model.safetensors.index.json");
        var shardPaths = new List<string>();
        if (File.Exists(indexPath))
        {
            using var index = JsonDocument.Parse(File.ReadAllText(indexPath));
            if (!index.RootElement.TryGetProperty("weight_map", out var map))
            {
                throw new InvalidDataException($"{indexPath} has no 'weight_map'.");
            }

            shardPaths.AddRange(map.EnumerateObject().Select(e => e.Value.GetString()!).Distinct(StringComparer.Ordinal).Select(f => Path.Combine(directory, f)));
        }
        else
        {
            shardPaths.Add(Path.Combine(directory, "model.safetensors"));
        }

        foreach (var path in shardPaths.Append(configPath).Append(tokenizerPath))
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Hugging Face checkpoint file missing: {path}", path);
            }
        }

        using var config = File.OpenRead(configPath);
        using var tokenizer = File.OpenRead(tokenizerPath);
        var shards = shardPaths.Select(p => (Stream)File.OpenRead(p)).ToList();
        try
        {
            return Load(config, shards, tokenizer, device);
        }
        finally
        {
            foreach (var shard in shards)
            {
                shard.Dispose();
            }
        }
    }

    /// <summary>Loads from streams (e.g. blobs); the streams stay open.</summary>
    public static ImportedPolicy Load(Stream configJson, IReadOnlyList<Stream> safetensorsShards, Stream tokenizerJson, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(configJson);
        ArgumentNullException.ThrowIfNull(safetensorsShards);
        ArgumentNullException.ThrowIfNull(tokenizerJson);
        using var configDocument = JsonDocument.Parse(configJson);
        var root = configDocument.RootElement;
        var config = ReadConfig(root);
        var bos = ReadTokenId(root, "bos_token_id");
        var eos = ReadTokenId(root, "eos_token_id");
        using var reader = new StreamReader(tokenizerJson, leaveOpen: true);
        var tokenizer = PolicyTokenizer.FromHuggingFace(reader.ReadToEnd(), bos, eos);
        if (tokenizer.VocabularySize > config.VocabSize)
        {
            throw new InvalidDataException($"tokenizer.json uses ids up to {tokenizer.VocabularySize - 1} but config.json vocab_size is {config.VocabSize}.");
        }

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var contents = new List<SafetensorsContent>();
        try
        {
            foreach (var shard in safetensorsShards)
            {
                var content = Safetensors.Read(shard);
                contents.Add(content);
                foreach (var (name, tensor) in content.Tensors)
                {
                    tensors[name] = tensor;
                }
            }

            var model = new PolicyModel(config, device);
            try
            {
                model.LoadWeights(tensors);
            }
            catch
            {
                model.Dispose();
                throw;
            }

            return new ImportedPolicy(model, tokenizer);
        }
        finally
        {
            foreach (var content in contents)
            {
                content.Dispose();
            }
        }
    }

    /// <summary>Maps a Hugging Face Llama <c>config.json</c> onto <see cref="TransformerConfig"/>, rejecting what the model cannot represent.</summary>
    public static TransformerConfig ReadConfig(JsonElement root)
    {
        var modelType = OptionalString(root, "model_type") ?? "llama";
        if (!SupportedModelTypes.Contains(modelType))
        {
            throw new NotSupportedException($"config.json model_type '{modelType}' is not a supported Llama-family architecture ({string.Join(", ", SupportedModelTypes)}).");
        }

        if (root.TryGetProperty("rope_scaling", out var scaling) && scaling.ValueKind != JsonValueKind.Null)
        {
            throw new NotSupportedException("config.json rope_scaling is set; scaled rotary positions are not supported.");
        }

        foreach (var flag in new[] { "attention_bias", "mlp_bias" })
        {
            if (root.TryGetProperty(flag, out var value) && value.ValueKind == JsonValueKind.True)
            {
                throw new NotSupportedException($"config.json {flag} is true; biased projections are not supported.");
            }
        }

        var activation = OptionalString(root, "hidden_act") ?? "silu";
        if (activation != "silu")
        {
            throw new NotSupportedException($"config.json hidden_act '{activation}' is not supported; Llama uses 'silu'.");
        }

        var heads = RequiredInt(root, "num_attention_heads");
        var config = new TransformerConfig
        {
            VocabSize = RequiredInt(root, "vocab_size"),
            HiddenSize = RequiredInt(root, "hidden_size"),
            IntermediateSize = RequiredInt(root, "intermediate_size"),
            NumLayers = RequiredInt(root, "num_hidden_layers"),
            NumHeads = heads,
            NumKeyValueHeads = root.TryGetProperty("num_key_value_heads", out var kv) && kv.ValueKind == JsonValueKind.Number ? kv.GetInt32() : heads,
            HeadDimension = root.TryGetProperty("head_dim", out var headDim) && headDim.ValueKind == JsonValueKind.Number ? headDim.GetInt32() : 0,
            MaxSequenceLength = root.TryGetProperty("max_position_embeddings", out var maxPositions) ? maxPositions.GetInt32() : 2048,
            RmsNormEpsilon = root.TryGetProperty("rms_norm_eps", out var eps) ? eps.GetDouble() : 1e-6,
            RopeTheta = root.TryGetProperty("rope_theta", out var theta) ? theta.GetDouble() : 10_000,
            TieEmbeddings = root.TryGetProperty("tie_word_embeddings", out var tie) && tie.ValueKind == JsonValueKind.True,
        };
        config.Validate();
        return config;
    }

    private static int RequiredInt(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetInt32()
            : throw new InvalidDataException($"config.json has no integer '{name}'.");

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? ReadTokenId(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetInt32(),
            JsonValueKind.Array when value.GetArrayLength() > 0 => value[0].GetInt32(),
            _ => null,
        };
    }
}
