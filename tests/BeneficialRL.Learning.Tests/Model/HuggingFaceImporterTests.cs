using System.Text;
using System.Text.Json.Nodes;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Tests.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Tests.Model;

public sealed class HuggingFaceImporterTests : IDisposable
{
    private const int Vocab = 300;
    private const int Hidden = 48;
    private const int Intermediate = 80;
    private const int Layers = 2;
    private const int Heads = 4;
    private const int KvHeads = 2;
    private const int HeadDim = Hidden / Heads;
    private const double Eps = 1e-5;
    private const double Theta = 500_000;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"hf-llama-{Guid.NewGuid():N}");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Load_RandomLlamaCheckpoint_MatchesReferenceForwardPass(bool tied)
    {
        var weights = WriteCheckpoint(tied);
        using var imported = HuggingFaceImporter.Load(_directory, CPU);
        Assert.Equal(KvHeads, imported.Model.Config.NumKeyValueHeads);
        Assert.Equal(tied, imported.Model.Config.TieEmbeddings);

        var ids = imported.Tokenizer.Encode("hello world, hello");
        Assert.Equal("hello world, hello", imported.Tokenizer.Decode(ids));
        var expected = ReferenceForward(weights, [.. ids], tied);
        using var noGrad = no_grad();
        using var logits = imported.Model.forward(tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Count]));
        var actual = TestWorld.Values(logits);
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }

        Assert.True(worst < 1e-4, $"largest logit difference {worst}");
    }

    [Fact]
    public void Load_MissingTensor_ThrowsNamingIt()
    {
        var weights = WriteCheckpoint(tied: false);
        weights.Remove("model.layers.1.mlp.up_proj.weight");
        WriteSafetensors(Path.Combine(_directory, "model.safetensors"), weights);
        var ex = Assert.Throws<InvalidDataException>(() => HuggingFaceImporter.Load(_directory, CPU));
        Assert.Contains("model.layers.1.mlp.up_proj.weight", ex.Message, StringComparison.Ordinal);
    }

    private Dictionary<string, (int[] Shape, float[] Data)> WriteCheckpoint(bool tied)
    {
        Directory.CreateDirectory(_directory);
        var random = new Random(1234);
        var weights = new Dictionary<string, (int[] Shape, float[] Data)>();
        void Add(string name, params int[] shape)
        {
            var count = shape.Aggregate(1, (a, b) => a * b);
            var norm = name.EndsWith("norm.weight", StringComparison.Ordinal);
            weights[name] = (shape, [.. Enumerable.Range(0, count).Select(_ => norm ? (float)(1 + ((random.NextDouble() - 0.5) * 0.4)) : (float)((random.NextDouble() - 0.5) * 0.3))]);
        }

        Add("model.embed_tokens.weight", Vocab, Hidden);
        for (var l = 0; l < Layers; l++)
        {
            Add($"model.layers.{l}.self_attn.q_proj.weight", Heads * HeadDim, Hidden);
            Add($"model.layers.{l}.self_attn.k_proj.weight", KvHeads * HeadDim, Hidden);
            Add($"model.layers.{l}.self_attn.v_proj.weight", KvHeads * HeadDim, Hidden);
            Add($"model.layers.{l}.self_attn.o_proj.weight", Hidden, Heads * HeadDim);
            Add($"model.layers.{l}.mlp.gate_proj.weight", Intermediate, Hidden);
            Add($"model.layers.{l}.mlp.up_proj.weight", Intermediate, Hidden);
            Add($"model.layers.{l}.mlp.down_proj.weight", Hidden, Intermediate);
            Add($"model.layers.{l}.input_layernorm.weight", Hidden);
            Add($"model.layers.{l}.post_attention_layernorm.weight", Hidden);
        }

        Add("model.norm.weight", Hidden);
        if (!tied)
        {
            Add("lm_head.weight", Vocab, Hidden);
        }

        var config = new JsonObject
        {
            ["architectures"] = new JsonArray("LlamaForCausalLM"),
            ["model_type"] = "llama",
            ["hidden_size"] = Hidden,
            ["intermediate_size"] = Intermediate,
            ["num_attention_heads"] = Heads,
            ["num_key_value_heads"] = KvHeads,
            ["num_hidden_layers"] = Layers,
            ["rms_norm_eps"] = Eps,
            ["rope_theta"] = Theta,
            ["vocab_size"] = Vocab,
            ["max_position_embeddings"] = 128,
            ["tie_word_embeddings"] = tied,
            ["hidden_act"] = "silu",
            ["bos_token_id"] = TinyHuggingFaceTokenizer.BosId,
            ["eos_token_id"] = TinyHuggingFaceTokenizer.EosId,
            ["torch_dtype"] = "float32",
        };
        File.WriteAllText(Path.Combine(_directory, "config.json"), config.ToJsonString());
        File.WriteAllText(Path.Combine(_directory, "tokenizer.json"), TinyHuggingFaceTokenizer.Json());
        WriteSafetensors(Path.Combine(_directory, "model.safetensors"), weights);
        return weights;
    }

    /// <summary>Writes safetensors by hand (not through the library's writer), F32, in insertion order.</summary>
    private static void WriteSafetensors(string path, Dictionary<string, (int[] Shape, float[] Data)> weights)
    {
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
        long offset = 0;
        foreach (var (name, (shape, data)) in weights)
        {
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray([.. shape.Select(s => (JsonNode)s)]),
                ["data_offsets"] = new JsonArray(offset, offset + (data.Length * 4)),
            };
            offset += data.Length * 4;
        }

        using var file = File.Create(path);
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        file.Write(BitConverter.GetBytes((ulong)headerBytes.Length));
        file.Write(headerBytes);
        foreach (var (_, (_, data)) in weights)
        {
            foreach (var value in data)
            {
                file.Write(BitConverter.GetBytes(value));
            }
        }
    }

    /// <summary>The Llama forward pass in plain double-precision loops, following Hugging Face's modeling_llama.</summary>
    private static double[] ReferenceForward(Dictionary<string, (int[] Shape, float[] Data)> w, int[] ids, bool tied)
    {
        var t = ids.Length;
        var x = new double[t][];
        for (var p = 0; p < t; p++)
        {
            x[p] = Row(w["model.embed_tokens.weight"], ids[p]);
        }

        for (var l = 0; l < Layers; l++)
        {
            var prefix = $"model.layers.{l}.";
            var h = x.Select(r => RmsNorm(r, w[prefix + "input_layernorm.weight"].Data)).ToArray();
            var q = h.Select(r => MatVec(w[prefix + "self_attn.q_proj.weight"], r)).ToArray();
            var k = h.Select(r => MatVec(w[prefix + "self_attn.k_proj.weight"], r)).ToArray();
            var v = h.Select(r => MatVec(w[prefix + "self_attn.v_proj.weight"], r)).ToArray();
            for (var p = 0; p < t; p++)
            {
                for (var head = 0; head < Heads; head++)
                {
                    Rope(q[p], head * HeadDim, p);
                }

                for (var head = 0; head < KvHeads; head++)
                {
                    Rope(k[p], head * HeadDim, p);
                }
            }

            var attended = new double[t][];
            for (var p = 0; p < t; p++)
            {
                attended[p] = new double[Heads * HeadDim];
                for (var head = 0; head < Heads; head++)
                {
                    var kvHead = head / (Heads / KvHeads);
                    var scores = new double[p + 1];
                    for (var s = 0; s <= p; s++)
                    {
                        double dot = 0;
                        for (var d = 0; d < HeadDim; d++)
                        {
                            dot += q[p][(head * HeadDim) + d] * k[s][(kvHead * HeadDim) + d];
                        }

                        scores[s] = dot / Math.Sqrt(HeadDim);
                    }

                    var max = scores.Max();
                    var exps = scores.Select(s => Math.Exp(s - max)).ToArray();
                    var sum = exps.Sum();
                    for (var s = 0; s <= p; s++)
                    {
                        for (var d = 0; d < HeadDim; d++)
                        {
                            attended[p][(head * HeadDim) + d] += exps[s] / sum * v[s][(kvHead * HeadDim) + d];
                        }
                    }
                }
            }

            for (var p = 0; p < t; p++)
            {
                var o = MatVec(w[prefix + "self_attn.o_proj.weight"], attended[p]);
                for (var i = 0; i < Hidden; i++)
                {
                    x[p][i] += o[i];
                }

                var h2 = RmsNorm(x[p], w[prefix + "post_attention_layernorm.weight"].Data);
                var gate = MatVec(w[prefix + "mlp.gate_proj.weight"], h2);
                var up = MatVec(w[prefix + "mlp.up_proj.weight"], h2);
                var act = gate.Select((g, i) => g / (1 + Math.Exp(-g)) * up[i]).ToArray();
                var down = MatVec(w[prefix + "mlp.down_proj.weight"], act);
                for (var i = 0; i < Hidden; i++)
                {
                    x[p][i] += down[i];
                }
            }
        }

        var head2 = tied ? w["model.embed_tokens.weight"] : w["lm_head.weight"];
        return [.. x.SelectMany(r => MatVec(head2, RmsNorm(r, w["model.norm.weight"].Data)))];
    }

    private static double[] Row((int[] Shape, float[] Data) m, int row) =>
        [.. Enumerable.Range(0, m.Shape[1]).Select(j => (double)m.Data[(row * m.Shape[1]) + j])];

    private static double[] MatVec((int[] Shape, float[] Data) m, double[] v)
    {
        var result = new double[m.Shape[0]];
        for (var i = 0; i < m.Shape[0]; i++)
        {
            double sum = 0;
            for (var j = 0; j < m.Shape[1]; j++)
            {
                sum += m.Data[(i * m.Shape[1]) + j] * v[j];
            }

            result[i] = sum;
        }

        return result;
    }

    private static double[] RmsNorm(double[] x, float[] weight)
    {
        var meanSquare = x.Select(v => v * v).Average();
        var scale = 1 / Math.Sqrt(meanSquare + Eps);
        return [.. x.Select((v, i) => v * scale * weight[i])];
    }

    /// <summary>rotate_half convention: dimension i pairs with i + D/2, frequency theta^(-2i/D).</summary>
    private static void Rope(double[] vector, int start, int position)
    {
        var half = HeadDim / 2;
        for (var i = 0; i < half; i++)
        {
            var angle = position * Math.Pow(Theta, -2.0 * i / HeadDim);
            var (a, b) = (vector[start + i], vector[start + i + half]);
            vector[start + i] = (a * Math.Cos(angle)) - (b * Math.Sin(angle));
            vector[start + i + half] = (b * Math.Cos(angle)) + (a * Math.Sin(angle));
        }
    }
}
