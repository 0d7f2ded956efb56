using BeneficialRL.Learning.Torch;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Model;

/// <summary>One pre-norm Llama block: x + attn(norm(x)), then + mlp(norm(x)).</summary>
internal sealed class DecoderLayer : nn.Module<Tensor, Tensor>
{
    private readonly SelfAttention _attention;
    private readonly SwiGluMlp _mlp;
    private readonly RmsNorm _inputNorm;
    private readonly RmsNorm _postAttentionNorm;
    private readonly int _index;

    public DecoderLayer(TransformerConfig config, int index) : base(nameof(DecoderLayer))
    {
        _index = index;
        _attention = new SelfAttention(config);
        _mlp = new SwiGluMlp(config);
        _inputNorm = new RmsNorm(config.HiddenSize, config.RmsNormEpsilon);
        _postAttentionNorm = new RmsNorm(config.HiddenSize, config.RmsNormEpsilon);
        register_module("self_attn", _attention);
        register_module("mlp", _mlp);
        register_module("input_layernorm", _inputNorm);
        register_module("post_attention_layernorm", _postAttentionNorm);
    }

    public override Tensor forward(Tensor input) =>
        throw new NotSupportedException("DecoderLayer needs positions; call Forward(input, context).");

    public Tensor Forward(Tensor input, ForwardContext context)
    {
        using var scope = NewDisposeScope();
        var hidden = input.add(_attention.Forward(_inputNorm.forward(input), context, _index), HeldScalars.One);
        var output = hidden.add(_mlp.forward(_postAttentionNorm.forward(hidden)), HeldScalars.One);
        return output.MoveToOuterDisposeScope();
    }
}
