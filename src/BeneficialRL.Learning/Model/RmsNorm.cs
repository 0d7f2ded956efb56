using BeneficialRL.Learning.Torch;
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
        using var epsilon = _epsilon.ToScalar(); // held across the call that reads it (see HeldScalars)
        var variance = input.pow(HeldScalars.Two).mean([-1], keepdim: true);
        return (input * variance.add(epsilon, HeldScalars.One).rsqrt_() * _weight).MoveToOuterDisposeScope();
    }
}
