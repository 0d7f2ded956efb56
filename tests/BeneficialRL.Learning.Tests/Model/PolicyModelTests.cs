using BeneficialRL.Learning.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Tests.Model;

public sealed class PolicyModelTests
{
    [Fact]
    public void Forward_BatchOfIds_ReturnsLogitsPerPosition()
    {
        using var model = TestWorld.NewModel();
        using var ids = randint(0, model.Config.VocabSize, [3, 11], dtype: ScalarType.Int64);
        using var logits = model.forward(ids);
        Assert.Equal([3L, 11, model.Config.VocabSize], logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());
    }

    [Fact]
    public void Forward_ChangingLaterToken_LeavesEarlierLogitsUnchanged()
    {
        using var model = TestWorld.NewModel();
        using var ids = randint(0, model.Config.VocabSize, [1, 10], dtype: ScalarType.Int64);
        using var changed = ids.clone();
        changed[0, 7] = (ids[0, 7] + 1) % model.Config.VocabSize;
        using var a = model.forward(ids);
        using var b = model.forward(changed);
        Assert.True(a.narrow(1, 0, 7).allclose(b.narrow(1, 0, 7), rtol: 0, atol: 1e-6));
        Assert.False(a.narrow(1, 7, 3).allclose(b.narrow(1, 7, 3), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Forward_LeftPaddedRowWithPositionsAndMask_MatchesUnpaddedRow()
    {
        using var model = TestWorld.NewModel();
        using var scope = NewDisposeScope();
        var row = randint(0, model.Config.VocabSize, [1, 6], dtype: ScalarType.Int64);
        var padded = cat([full([1, 3], TestWorld.Tokenizer.Special.Pad, ScalarType.Int64), row], 1);
        var valid = cat([zeros([1, 3], ScalarType.Bool), ones([1, 6], ScalarType.Bool)], 1);
        var positions = (valid.to(ScalarType.Int64).cumsum(1) - 1).clamp_min(0);
        var alone = model.forward(row);
        var withPadding = model.Forward(padded, positions: positions, keyMask: valid).narrow(1, 3, 6);
        Assert.True(alone.allclose(withPadding, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Presets_ParameterCounts_FallInTheAdvertisedRanges()
    {
        var tiny = TransformerConfig.Tiny(4000);
        var small = TransformerConfig.Small(4000);
        Assert.InRange(tiny.ParameterCount, 1_000_000, 5_000_000);
        Assert.InRange(small.ParameterCount, 20_000_000, 60_000_000);
        using var model = new PolicyModel(tiny, CPU, seed: 1);
        Assert.Equal(tiny.ParameterCount, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Config_InvalidHeads_ThrowsNamingTheField()
    {
        var config = TransformerConfig.Tiny(100) with { NumKeyValueHeads = 3 };
        var ex = Assert.Throws<ArgumentException>(config.Validate);
        Assert.Contains("NumKeyValueHeads", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NamedParameters_UseHuggingFaceNames()
    {
        using var model = TestWorld.NewModel(tie: false);
        var names = model.NamedParameters().Select(p => p.Name).ToHashSet();
        Assert.Contains("model.embed_tokens.weight", names);
        Assert.Contains("model.layers.1.self_attn.k_proj.weight", names);
        Assert.Contains("model.layers.0.mlp.gate_proj.weight", names);
        Assert.Contains("model.layers.0.post_attention_layernorm.weight", names);
        Assert.Contains("model.norm.weight", names);
        Assert.Contains("lm_head.weight", names);
    }

    [Fact]
    public void Constructor_SameSeed_GivesIdenticalWeights()
    {
        using var a = TestWorld.NewModel(seed: 3);
        using var b = TestWorld.NewModel(seed: 3);
        foreach (var ((_, pa), (_, pb)) in a.NamedParameters().Zip(b.NamedParameters()))
        {
            Assert.True(pa.eq(pb).all().item<bool>());
        }
    }
}
