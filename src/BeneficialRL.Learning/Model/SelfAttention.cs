using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Model;

/// <summary>Causal grouped-query self-attention with rotary positions, through libtorch's fused SDPA kernel.</summary>
internal sealed class SelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear _query;
    private readonly Linear _key;
    private readonly Linear _value;
    private readonly Linear _output;
    private readonly int _heads;
    private readonly int _keyValueHeads;
    private readonly int _headDim;

    public SelfAttention(TransformerConfig config) : base(nameof(SelfAttention))
    {
        _heads = config.NumHeads;
        _keyValueHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        _query = nn.Linear(config.HiddenSize, _heads * _headDim, hasBias: false);
        _key = nn.Linear(config.HiddenSize, _keyValueHeads * _headDim, hasBias: false);
        _value = nn.Linear(config.HiddenSize, _keyValueHeads * _headDim, hasBias: false);
        _output = nn.Linear(_heads * _headDim, config.HiddenSize, hasBias: false);
        register_module("q_proj", _query);
        register_module("k_proj", _key);
        register_module("v_proj", _value);
        register_module("o_proj", _output);
    }

    public override Tensor forward(Tensor input) =>
        throw new NotSupportedException("SelfAttention needs positions; call Forward(input, context, layer).");

    public Tensor Forward(Tensor input, ForwardContext context, int layer)
    {
        using var scope = NewDisposeScope();
        var batch = input.shape[0];
        var length = input.shape[1];
        Tensor q, k, v;
        if (batch * length >= FusedProjection.MinimumRows)
        {
            // One product against the stacked weights instead of three smaller ones.
            var stacked = cat([_query.weight!, _key.weight!, _value.weight!], 0);
            var parts = nn.functional.linear(input, stacked).split([_heads * _headDim, _keyValueHeads * _headDim, _keyValueHeads * _headDim], -1);
            (q, k, v) = (parts[0], parts[1], parts[2]);
        }
        else
        {
            (q, k, v) = (_query.forward(input), _key.forward(input), _value.forward(input));
        }

        q = q.view(batch, length, _heads, _headDim).transpose(1, 2);
        k = k.view(batch, length, _keyValueHeads, _headDim).transpose(1, 2);
        v = v.view(batch, length, _keyValueHeads, _headDim).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, context.Cos, context.Sin);
        k = RotaryEmbedding.Apply(k, context.Cos, context.Sin);
        if (context.Cache is not null)
        {
            (k, v) = context.Cache.Append(layer, k, v);
        }

        if (_keyValueHeads != _heads)
        {
            // Query head h reads key/value head h / groups, as Hugging Face's repeat_kv does.
            var groups = _heads / _keyValueHeads;
            k = k.repeat_interleave(groups, 1);
            v = v.repeat_interleave(groups, 1);
        }

        var attended = nn.functional.scaled_dot_product_attention(q, k, v, context.Mask, 0.0, context.IsCausal);
        var merged = attended.transpose(1, 2).reshape(batch, length, _heads * _headDim);
        return _output.forward(merged).MoveToOuterDisposeScope();
    }
}
