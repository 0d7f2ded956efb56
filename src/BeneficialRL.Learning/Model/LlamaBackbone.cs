using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Model;

/// <summary>The <c>model.*</c> part of a Llama checkpoint: embeddings, decoder layers, final norm.</summary>
internal sealed class LlamaBackbone : nn.Module<Tensor, Tensor>
{
    private readonly Embedding _embedTokens;
    private readonly ModuleList<DecoderLayer> _layers;
    private readonly RmsNorm _norm;

    public LlamaBackbone(TransformerConfig config) : base(nameof(LlamaBackbone))
    {
        _embedTokens = nn.Embedding(config.VocabSize, config.HiddenSize);
        _layers = new ModuleList<DecoderLayer>();
        for (var i = 0; i < config.NumLayers; i++)
        {
            _layers.Add(new DecoderLayer(config, i));
        }

        _norm = new RmsNorm(config.HiddenSize, config.RmsNormEpsilon);
        register_module("embed_tokens", _embedTokens);
        register_module("layers", _layers);
        register_module("norm", _norm);
    }

    public Tensor EmbeddingWeight => _embedTokens.weight!;

    public override Tensor forward(Tensor input) =>
        throw new NotSupportedException("LlamaBackbone needs positions; call Forward(input, context).");

    public Tensor Forward(Tensor inputIds, ForwardContext context)
    {
        using var scope = NewDisposeScope();
        var hidden = _embedTokens.forward(inputIds);
        foreach (var layer in _layers)
        {
            hidden = layer.Forward(hidden, context);
        }

        return _norm.forward(hidden).MoveToOuterDisposeScope();
    }
}
