using System.Formats.Tar;
using System.Text.Json;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Tokenization;
using BeneficialRL.Learning.Training;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Checkpoints;

/// <summary>
/// A policy snapshot: weights (<c>model.safetensors</c>), architecture + tokenizer map + trainer
/// position (<c>meta.json</c>) and optionally AdamW moments (<c>optimizer.safetensors</c>). Saved to
/// one stream as a tar of those three files, or part by part for blob storage; streams stay open.
/// </summary>
public sealed class Checkpoint : IDisposable
{
    /// <summary>Name of the weights part.</summary>
    public const string WeightsFileName = "model.safetensors";

    /// <summary>Name of the metadata part.</summary>
    public const string MetadataFileName = "meta.json";

    /// <summary>Name of the optimizer part.</summary>
    public const string OptimizerFileName = "optimizer.safetensors";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
    private readonly Dictionary<string, Tensor> _weights;

    private Checkpoint(CheckpointMetadata metadata, Dictionary<string, Tensor> weights, TrainerState? trainer)
    {
        Metadata = metadata;
        _weights = weights;
        Trainer = trainer;
        Tokenizer = PolicyTokenizer.FromDescriptor(metadata.Tokenizer);
    }

    /// <summary>Architecture, tokenizer description, trainer position and labels.</summary>
    public CheckpointMetadata Metadata { get; }

    /// <summary>Network shape.</summary>
    public TransformerConfig Config => Metadata.Config;

    /// <summary>The tokenizer rebuilt from the stored map.</summary>
    public PolicyTokenizer Tokenizer { get; }

    /// <summary>Weights by Hugging Face name, on the CPU.</summary>
    public IReadOnlyDictionary<string, Tensor> Weights => _weights;

    /// <summary>Trainer position and optimizer moments, when the snapshot was taken mid-training.</summary>
    public TrainerState? Trainer { get; }

    /// <summary>Copies the model's weights (and optionally a trainer's state) into a new snapshot.</summary>
    public static Checkpoint Capture(PolicyModel model, PolicyTokenizer tokenizer, TrainerState? trainer = null, IReadOnlyDictionary<string, string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);

        // The scope disposes the intermediate tensors (detach, cpu) instead of leaving them to the finalizer.
        using var scope = NewDisposeScope();
        foreach (var (name, parameter) in model.NamedParameters())
        {
            weights[name] = parameter.detach().cpu().clone().DetachFromDisposeScope();
        }

        var metadata = new CheckpointMetadata
        {
            Config = model.Config,
            Tokenizer = tokenizer.Describe(),
            TrainerKind = trainer?.TrainerKind,
            Step = trainer?.Step,
            OptimizerStep = trainer?.OptimizerStep,
            RandomState = trainer?.RandomState,
            Labels = labels ?? new Dictionary<string, string>(),
        };
        return new Checkpoint(metadata, weights, trainer);
    }

    /// <summary>Builds a model with these weights on <paramref name="device"/> (default device when null).</summary>
    public PolicyModel CreateModel(Device? device = null)
    {
        var model = new PolicyModel(Config, device);
        model.LoadWeights(_weights);
        return model;
    }

    /// <summary>Writes the three parts as a tar archive into <paramref name="stream"/>, leaving it open.</summary>
    /// <remarks>
    /// USTAR, not PAX: a PAX entry is preceded by an extended-attributes entry that .NET names after the writing process
    /// (<c>PaxHeaders.{pid}</c>), so the same checkpoint archived by two silos differed, and a job resumed on another silo
    /// could not write again a checkpoint its lost attempt had stored (checkpoints are written once). The three names are
    /// far below USTAR's 100-character limit. Archives written before in PAX still load.
    /// </remarks>
    public async Task SaveAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var writer = new TarWriter(stream, TarEntryFormat.Ustar, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await WriteEntryAsync(writer, MetadataFileName, WriteMetadata, cancellationToken).ConfigureAwait(false);
            await WriteEntryAsync(writer, WeightsFileName, WriteWeights, cancellationToken).ConfigureAwait(false);
            if (Trainer is not null)
            {
                await WriteEntryAsync(writer, OptimizerFileName, WriteOptimizerState, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads a tar written by <see cref="SaveAsync"/>, leaving the stream open.</summary>
    public static async Task<Checkpoint> LoadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var parts = new Dictionary<string, MemoryStream>(StringComparer.Ordinal);
        var reader = new TarReader(stream, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (entry.DataStream is null)
                {
                    continue;
                }

                var buffer = new MemoryStream();
                await entry.DataStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                buffer.Position = 0;
                parts[entry.Name] = buffer;
            }
        }

        using var metadata = parts.GetValueOrDefault(MetadataFileName) ?? throw new InvalidDataException($"Checkpoint archive has no {MetadataFileName}.");
        using var weights = parts.GetValueOrDefault(WeightsFileName) ?? throw new InvalidDataException($"Checkpoint archive has no {WeightsFileName}.");
        using var optimizer = parts.GetValueOrDefault(OptimizerFileName);
        return FromParts(weights, metadata, optimizer);
    }

    /// <summary>Rebuilds a checkpoint from separately stored parts (e.g. blobs); streams stay open.</summary>
    public static Checkpoint FromParts(Stream weights, Stream metadata, Stream? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(metadata);
        var meta = JsonSerializer.Deserialize<CheckpointMetadata>(metadata, JsonOptions)
            ?? throw new InvalidDataException($"{MetadataFileName} is empty.");
        if (meta.Format != CheckpointMetadata.CurrentFormat)
        {
            throw new InvalidDataException($"{MetadataFileName} format '{meta.Format}' is not '{CheckpointMetadata.CurrentFormat}'.");
        }

        var weightContent = Safetensors.Read(weights);
        TrainerState? trainer = null;
        if (optimizer is not null)
        {
            var optimizerContent = Safetensors.Read(optimizer);
            trainer = new TrainerState
            {
                Step = meta.Step ?? throw new InvalidDataException($"{MetadataFileName} has optimizer state but no 'step'."),
                OptimizerStep = meta.OptimizerStep ?? throw new InvalidDataException($"{MetadataFileName} has optimizer state but no 'optimizerStep'."),
                RandomState = meta.RandomState ?? throw new InvalidDataException($"{MetadataFileName} has optimizer state but no 'randomState'."),
                TrainerKind = meta.TrainerKind ?? throw new InvalidDataException($"{MetadataFileName} has optimizer state but no 'trainerKind'."),
                OptimizerTensors = optimizerContent.Tensors,
            };
        }

        return new Checkpoint(meta, new Dictionary<string, Tensor>(weightContent.Tensors, StringComparer.Ordinal), trainer);
    }

    /// <summary>Writes <c>model.safetensors</c>.</summary>
    public void WriteWeights(Stream stream) =>
        Safetensors.Write(stream, _weights, new Dictionary<string, string> { ["format"] = "pt" });

    /// <summary>Writes <c>meta.json</c>.</summary>
    public void WriteMetadata(Stream stream) => JsonSerializer.Serialize(stream, Metadata, JsonOptions);

    /// <summary>Writes <c>optimizer.safetensors</c>; throws when the checkpoint has no trainer state.</summary>
    public void WriteOptimizerState(Stream stream) =>
        Safetensors.Write(stream, (Trainer ?? throw new InvalidOperationException("This checkpoint holds no trainer state.")).OptimizerTensors);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _weights.Values)
        {
            t.Dispose();
        }

        Trainer?.Dispose();
    }

    private static async Task WriteEntryAsync(TarWriter writer, string name, Action<Stream> write, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        buffer.Position = 0;
        // A fixed time instead of "now": the same checkpoint must archive to the same bytes, because checkpoints are
        // written once and a job resumed after a lost silo writes the checkpoints it had already stored again.
        var entry = new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = buffer, ModificationTime = DateTimeOffset.UnixEpoch };
        await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }
}
