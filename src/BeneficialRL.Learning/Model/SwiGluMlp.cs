using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Model;

/// <summary>Llama's gated MLP: down(silu(gate(x)) * up(x)).</summary>
internal sealed class SwiGluMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear _gate;
    private readonly Linear _up;
    private readonly Linear _down;

    public SwiGluMlp(TransformerConfig config) : base(nameof(SwiGluMlp))
    {
        _gate = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false);
        _up = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false);
        _down = nn.Linear(config.IntermediateSize, config.HiddenSize, hasBias: false);
        register_module("gate_proj", _gate);
        register_module("up_proj", _up);
        register_module("down_proj", _down);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor gate, up;
        if (input.shape[0] * input.shape[1] >= FusedProjection.MinimumRows)
        {
            var halves = nn.functional.linear(input, cat([_gate.weight!, _up.weight!], 0)).chunk(2, -1);
            (gate, up) = (halves[0], halves[1]);
        }
        else
        {
            (gate, up) = (_gate.forward(input), _up.forward(input));
        }

        var gated = nn.functional.silu(gate).mul_(up);
        return _down.forward(gated).MoveToOuterDisposeScope();
    }
}
