using BeneficialRL.Learning.Devices;
using BeneficialRL.Learning.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Model;

/// <summary>
/// A Llama-family decoder-only transformer. Parameter names follow the Hugging Face layout
/// (<c>model.layers.0.self_attn.q_proj.weight</c>, ...), so checkpoints in either direction map
/// one to one.
/// </summary>
public sealed class PolicyModel : nn.Module<Tensor, Tensor>
{
    private readonly LlamaBackbone _backbone;
    private readonly Linear? _lmHead;
    private readonly RotaryEmbedding _rotary;

    /// <summary>Builds a model with freshly initialised weights (normal, std 0.02) on <paramref name="device"/>.</summary>
    /// <param name="config">Shape of the network; validated.</param>
    /// <param name="device">Where the weights live; <see cref="LearningDevice.Default"/> when null.</param>
    /// <param name="seed">Seeds a private generator for the initial weights (reproducible); null uses torch's global generator.</param>
    public PolicyModel(TransformerConfig config, Device? device = null, long? seed = null) : base(nameof(PolicyModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        Device = LearningDevice.Resolve(device);
        _backbone = new LlamaBackbone(config);
        register_module("model", _backbone);
        if (!config.TieEmbeddings)
        {
            _lmHead = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
            register_module("lm_head", _lmHead);
        }

        InitializeWeights(seed);
        this.to(Device);
        _rotary = new RotaryEmbedding(config, Device);
    }

    /// <summary>The network's shape.</summary>
    public TransformerConfig Config { get; }

    /// <summary>Where the weights live.</summary>
    public Device Device { get; }

    /// <summary>Logits [B, T, V] for token ids [B, T] starting at position 0, causally masked.</summary>
    public override Tensor forward(Tensor input) => Forward(input);

    /// <summary>
    /// Logits [B, T, V] for token ids [B, T].
    /// </summary>
    /// <param name="inputIds">Token ids, int64, on <see cref="Device"/>.</param>
    /// <param name="cache">When given, keys/values are appended to it and attention covers its whole prefix.</param>
    /// <param name="positions">Explicit rotary positions [B, T] (left-padded batches); default: consecutive from the cache length.</param>
    /// <param name="keyMask">Which key positions are real tokens, bool [B, cacheLength + T]; null means all.</param>
    public Tensor Forward(Tensor inputIds, KvCache? cache = null, Tensor? positions = null, Tensor? keyMask = null)
    {
        using var scope = NewDisposeScope();
        return ProjectToVocabulary(ForwardHidden(inputIds, cache, positions, keyMask)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Final-norm hidden states [B, T, H] for token ids [B, T], without the output projection: callers that need
    /// logits at only a few positions (scoring, the last position of a prompt) project just those with
    /// <see cref="ProjectToVocabulary"/>, since the vocabulary matmul is the largest single product of a small model.
    /// Arguments as for <see cref="Forward(Tensor, KvCache?, Tensor?, Tensor?)"/>.
    /// </summary>
    public Tensor ForwardHidden(Tensor inputIds, KvCache? cache = null, Tensor? positions = null, Tensor? keyMask = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        using var scope = NewDisposeScope();
        var past = cache?.Length ?? 0;
        var length = inputIds.shape[1];
        if (past + length > Config.MaxSequenceLength)
        {
            throw new ArgumentException($"Sequence of {past + length} tokens exceeds MaxSequenceLength {Config.MaxSequenceLength}.", nameof(inputIds));
        }

        var (cos, sin) = positions is null ? _rotary.ForRange(past, length) : _rotary.ForPositions(positions);
        Tensor? mask = null;
        var isCausal = false;
        if (keyMask is null && (past == 0 || length == 1))
        {
            isCausal = past == 0 && length > 1;
        }
        else
        {
            using var queryStart = past.ToScalar(); // held across the calls that read them (see HeldScalars)
            using var queryEnd = (past + length).ToScalar();
            var queryPositions = arange(queryStart, queryEnd, HeldScalars.One, device: Device).unsqueeze(1);
            var keyPositions = arange(HeldScalars.Zero, queryEnd, HeldScalars.One, device: Device).unsqueeze(0);
            var allowed = keyPositions.le(queryPositions).unsqueeze(0);
            if (keyMask is not null)
            {
                // A padding query may see nothing else; letting it see itself keeps softmax finite.
                allowed = allowed.logical_and(keyMask.unsqueeze(1)).logical_or(keyPositions.eq(queryPositions).unsqueeze(0));
            }

            mask = allowed.unsqueeze(1);
        }

        var hidden = _backbone.Forward(inputIds, new ForwardContext(cos, sin, mask, isCausal, cache));
        cache?.Advance(length);
        return hidden.MoveToOuterDisposeScope();
    }

    /// <summary>Logits [..., V] of final-norm hidden states [..., H] (the output projection of <see cref="Forward(Tensor, KvCache?, Tensor?, Tensor?)"/>).</summary>
    public Tensor ProjectToVocabulary(Tensor hidden)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        return _lmHead is null ? nn.functional.linear(hidden, _backbone.EmbeddingWeight) : _lmHead.forward(hidden);
    }

    /// <summary>Allocates a KV cache sized for <paramref name="batchSize"/> rows of up to <paramref name="capacity"/> positions.</summary>
    public KvCache CreateCache(long batchSize, long capacity) => new(Config, batchSize, capacity, Device);

    /// <summary>Trainable parameters with their Hugging Face names, in registration order.</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> NamedParameters() => [.. named_parameters()];

    /// <summary>Copies weights from <paramref name="tensors"/> (by Hugging Face name); every parameter must be present with the same shape.</summary>
    public void LoadWeights(IReadOnlyDictionary<string, Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        using var noGrad = torch.no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (!tensors.TryGetValue(name, out var source))
            {
                throw new InvalidDataException($"Checkpoint has no tensor '{name}'.");
            }

            if (!source.shape.SequenceEqual(parameter.shape))
            {
                throw new InvalidDataException($"Tensor '{name}' has shape [{string.Join(", ", source.shape)}]; the model expects [{string.Join(", ", parameter.shape)}].");
            }

            parameter.copy_(source);
        }
    }

    /// <summary>A copy with identical weights on the same device; frozen copies have no gradients (reference models).</summary>
    public PolicyModel Clone(bool frozen)
    {
        var copy = new PolicyModel(Config, Device);
        var weights = named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        copy.LoadWeights(weights);
        if (frozen)
        {
            foreach (var p in copy.parameters())
            {
                p.requires_grad = false;
            }

            copy.eval();
        }

        return copy;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rotary.Dispose();
        }

        base.Dispose(disposing);
    }

    private void InitializeWeights(long? seed)
    {
        using var noGrad = torch.no_grad();

        // A private generator makes seeded initialisation independent of whatever else uses torch's global one.
        using var generator = seed is { } s ? new torch.Generator((ulong)s) : null;
        var residualStd = 0.02 / Math.Sqrt(2.0 * Config.NumLayers);
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith("layernorm.weight", StringComparison.Ordinal) || name.EndsWith("norm.weight", StringComparison.Ordinal))
            {
                parameter.fill_(HeldScalars.OneFloat);
            }
            else
            {
                // Projections that write into the residual stream are scaled down so depth does not inflate it.
                var std = name.EndsWith("o_proj.weight", StringComparison.Ordinal) || name.EndsWith("down_proj.weight", StringComparison.Ordinal) ? residualStd : 0.02;
                parameter.normal_(0.0, std, generator);
            }
        }
    }
}
