using BeneficialRL.Learning.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Training;

/// <summary>
/// AdamW with decoupled weight decay (the PyTorch update rule), written here so that its moments
/// are plain named tensors that a checkpoint stores in safetensors and restores exactly.
/// </summary>
public sealed class AdamWOptimizer : IDisposable
{
    private readonly IReadOnlyList<(string Name, Parameter Parameter)> _parameters;
    private readonly AdamWOptions _options;
    private readonly Dictionary<string, Tensor> _firstMoments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _secondMoments = new(StringComparer.Ordinal);

    /// <summary>Optimises <paramref name="parameters"/> (named, as <c>PolicyModel.NamedParameters()</c> returns them).</summary>
    public AdamWOptimizer(IReadOnlyList<(string Name, Parameter Parameter)> parameters, AdamWOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        _parameters = parameters;
        _options = options;
        using var noGrad = torch.no_grad();
        foreach (var (name, parameter) in parameters)
        {
            _firstMoments[name] = zeros_like(parameter).DetachFromDisposeScope();
            _secondMoments[name] = zeros_like(parameter).DetachFromDisposeScope();
        }
    }

    /// <summary>Number of updates applied so far (drives bias correction).</summary>
    public long StepCount { get; private set; }

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        // Each read of .grad makes a new tensor object; the scope disposes them instead of the finalizer (see HeldScalars).
        using var scope = NewDisposeScope();
        foreach (var (_, parameter) in _parameters)
        {
            parameter.grad?.zero_();
        }
    }

    /// <summary>Scales gradients so their global L2 norm is at most <paramref name="maxNorm"/>; returns the norm before clipping.</summary>
    public double ClipGradients(double maxNorm)
    {
        using var scope = NewDisposeScope();
        var withGrad = _parameters.Select(p => p.Parameter).Where(p => p.grad is not null).ToList();
        return withGrad.Count == 0 ? 0 : nn.utils.clip_grad_norm_(withGrad, maxNorm);
    }

    /// <summary>Applies one update with learning rate <paramref name="learningRate"/>.</summary>
    public void Step(double learningRate)
    {
        StepCount++;
        var beta1 = _options.Beta1;
        var beta2 = _options.Beta2;
        var biasCorrection1 = 1 - Math.Pow(beta1, StepCount);
        var biasCorrection2 = 1 - Math.Pow(beta2, StepCount);
        using var noGrad = torch.no_grad();
        using var scope = NewDisposeScope();

        // Held for the whole step, never passed as temporaries (see HeldScalars).
        using var decay = (1 - (learningRate * _options.WeightDecay)).ToScalar();
        using var firstDecay = beta1.ToScalar();
        using var firstWeight = (1 - beta1).ToScalar();
        using var secondDecay = beta2.ToScalar();
        using var secondWeight = (1 - beta2).ToScalar();
        using var secondCorrection = Math.Sqrt(biasCorrection2).ToScalar();
        using var epsilon = _options.Epsilon.ToScalar();
        using var stepSize = (-learningRate / biasCorrection1).ToScalar();
        foreach (var (name, parameter) in _parameters)
        {
            var grad = parameter.grad;
            if (grad is null)
            {
                continue;
            }

            if (_options.WeightDecay > 0 && parameter.dim() >= 2)
            {
                parameter.mul_(decay);
            }

            var m = _firstMoments[name].mul_(firstDecay).add_(grad, alpha: firstWeight);
            var v = _secondMoments[name].mul_(secondDecay).addcmul_(grad, grad, value: secondWeight);
            var denominator = v.sqrt().div(secondCorrection).add_(epsilon, HeldScalars.One);
            parameter.addcdiv_(m, denominator, value: stepSize);
        }
    }

    /// <summary>Copies of the moments, named <c>exp_avg.{param}</c> and <c>exp_avg_sq.{param}</c>, on the CPU.</summary>
    public Dictionary<string, Tensor> ExportState()
    {
        using var scope = NewDisposeScope();
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, _) in _parameters)
        {
            state[$"exp_avg.{name}"] = _firstMoments[name].detach().cpu().clone().DetachFromDisposeScope();
            state[$"exp_avg_sq.{name}"] = _secondMoments[name].detach().cpu().clone().DetachFromDisposeScope();
        }

        return state;
    }

    /// <summary>Restores moments exported by <see cref="ExportState"/> and the step count.</summary>
    public void ImportState(IReadOnlyDictionary<string, Tensor> state, long stepCount)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var noGrad = torch.no_grad();
        foreach (var (name, _) in _parameters)
        {
            _firstMoments[name].copy_(Require(state, $"exp_avg.{name}"));
            _secondMoments[name].copy_(Require(state, $"exp_avg_sq.{name}"));
        }

        StepCount = stepCount;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _firstMoments.Values.Concat(_secondMoments.Values))
        {
            t.Dispose();
        }
    }

    private static Tensor Require(IReadOnlyDictionary<string, Tensor> state, string key) =>
        state.TryGetValue(key, out var tensor) ? tensor : throw new InvalidDataException($"Optimizer state has no tensor '{key}'.");
}
