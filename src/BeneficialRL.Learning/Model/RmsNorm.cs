using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Model;

/// <summary>Root-mean-square normalisation with a learned gain, as in Llama (no bias, no mean subtraction).</summary>
internal sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _weight;
    private readonly double _epsilon;

    public RmsNorm(long size, double epsilon) : base(nameof(RmsNorm))
    {
        _epsilon = epsilon;
        _weight = new Parameter(ones(size));
        register_parameter("weight", _weight);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var variance = input.square().mean([-1], keepdim: true);
        return (input * (variance + _epsilon).rsqrt_() * _weight).MoveToOuterDisposeScope();
    }
}
