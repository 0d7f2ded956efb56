using BeneficialRL.Learning.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Model;

/// <summary>
/// Pre-computed rotary tables in Hugging Face's layout: the frequencies are repeated over the two
/// halves of each head (rotate_half), not interleaved in pairs.
/// </summary>
internal sealed class RotaryEmbedding : IDisposable
{
    public RotaryEmbedding(TransformerConfig config, Device device)
    {
        var headDim = config.HeadDim;
        using var scope = NewDisposeScope();
        using var headDimScalar = headDim.ToScalar(); // held across the calls that read them (see HeldScalars)
        using var maxLength = config.MaxSequenceLength.ToScalar();
        var exponents = arange(HeldScalars.Zero, headDimScalar, HeldScalars.Two, dtype: ScalarType.Float64).div(headDimScalar);
        var inverseFrequency = pow(config.RopeTheta, exponents).reciprocal();
        var positions = arange(HeldScalars.Zero, maxLength, HeldScalars.One, dtype: ScalarType.Float64);
        var angles = outer(positions, inverseFrequency);
        var doubled = cat([angles, angles], -1);
        Cos = doubled.cos().to(ScalarType.Float32).to(device).MoveToOuterDisposeScope();

        // rotate_half(x) = cat(-x2, x1) = roll(x, D/2) * [-1…, +1…]; the sign is folded into the sine table.
        var sine = angles.sin();
        Sin = cat([-sine, sine], -1).to(ScalarType.Float32).to(device).MoveToOuterDisposeScope();
    }

    /// <summary>[maxSeq, headDim] cosines.</summary>
    public Tensor Cos { get; }

    /// <summary>[maxSeq, headDim] sines, negated over the first half (see <see cref="Apply"/>).</summary>
    public Tensor Sin { get; }

    /// <summary>Tables for consecutive positions starting at <paramref name="start"/>, shaped [1, 1, T, D].</summary>
    public (Tensor Cos, Tensor Sin) ForRange(long start, long length)
    {
        return (Cos.narrow(0, start, length).unsqueeze(0).unsqueeze(0), Sin.narrow(0, start, length).unsqueeze(0).unsqueeze(0));
    }

    /// <summary>Tables for explicit per-row positions [B, T], shaped [B, 1, T, D].</summary>
    public (Tensor Cos, Tensor Sin) ForPositions(Tensor positions)
    {
        var shape = positions.shape;
        var flat = positions.reshape(-1);
        var cos = Cos.index_select(0, flat).view(shape[0], 1, shape[1], -1);
        var sin = Sin.index_select(0, flat).view(shape[0], 1, shape[1], -1);
        return (cos, sin);
    }

    /// <summary>x·cos + rotate_half(x)·sin, as one roll and one fused multiply-add.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor signedSin)
    {
        var half = x.shape[^1] / 2;
        return (x * cos).addcmul_(x.roll(half, -1), signedSin, HeldScalars.One);
    }

    public void Dispose()
    {
        Cos.Dispose();
        Sin.Dispose();
    }
}
