using BeneficialRL.Contracts.Checkpoints;
using BeneficialRL.Grains.Hosting;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Learning.Serving;
using BeneficialRL.Storage.Artifacts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BeneficialRL.Grains.Inference;

/// <summary>
/// The checkpoints this trainer silo holds loaded for inference, at most <see cref="InferenceOptions.MaxLoadedCheckpoints"/>,
/// least recently used unloaded first. A checkpoint is loaded once however many requests ask for it together; an
/// unloaded engine is disposed only after the requests that hold it have finished.
/// </summary>
public sealed partial class LoadedCheckpoints(
    IGrainFactory grains,
    IArtifactStore artifacts,
    IOptions<InferenceOptions> options,
    ILogger<LoadedCheckpoints> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Entry> _recent = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _byKey = new(StringComparer.Ordinal);

    /// <summary>Keys (<c>{tenant}/{checkpointId}</c>) loaded now, most recently used first.</summary>
    public IReadOnlyList<string> Keys
    {
        get
        {
            lock (_gate) return [.. _recent.Select(e => e.Key)];
        }
    }

    /// <summary>The engine of checkpoint <paramref name="key"/>, loading it when needed; dispose the lease when the request is done.</summary>
    public async Task<Lease> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        Entry entry;
        var evicted = new List<Entry>();
        lock (_gate)
        {
            if (_byKey.TryGetValue(key, out var node))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                entry = node.Value;
            }
            else
            {
                entry = new Entry(key, LoadAsync(key));
                _byKey[key] = _recent.AddFirst(entry);
                while (_recent.Count > options.Value.MaxLoadedCheckpoints)
                {
                    var last = _recent.Last!.Value;
                    _recent.RemoveLast();
                    _byKey.Remove(last.Key);
                    last.Retired = true;
                    evicted.Add(last);
                }
            }

            entry.Leases++;
        }

        foreach (var old in evicted) ReleaseOne(old, taken: false);
        try
        {
            var engine = await entry.Engine.WaitAsync(cancellationToken);
            return new Lease(this, entry, engine);
        }
        catch
        {
            lock (_gate)
            {
                // A load that failed must not stay cached: the next request tries again.
                if (entry.Engine.IsFaulted && _byKey.TryGetValue(key, out var node) && node.Value == entry)
                {
                    _recent.Remove(node);
                    _byKey.Remove(key);
                    entry.Retired = true;
                }
            }

            ReleaseOne(entry, taken: true);
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        List<Entry> all;
        lock (_gate)
        {
            all = [.. _recent];
            _recent.Clear();
            _byKey.Clear();
        }

        foreach (var entry in all.Where(e => e.Engine.IsCompletedSuccessfully)) entry.Engine.Result.Dispose();
    }

    private async Task<InferenceEngine> LoadAsync(string key)
    {
        var checkpoint = await grains.GetGrain<ICheckpointGrain>(key).GetAsync()
            ?? throw new InvalidDataException($"Checkpoint '{key}' does not exist.");
        if (checkpoint.Details.ModelMetadataPath is not { } metaPath)
            throw new InvalidDataException($"Checkpoint '{checkpoint.Id}' has weights but no model description (meta.json), so it cannot be served.");
        await using var weights = await artifacts.OpenReadAsync(checkpoint.Details.WeightsPath, CancellationToken.None);
        await using var metadata = await artifacts.OpenReadAsync(metaPath, CancellationToken.None);
        var settings = options.Value;
        var engine = await Task.Run(() =>
        {
            using var loaded = Checkpoint.FromParts(weights, metadata);
            return new InferenceEngine(loaded.CreateModel(), loaded.Tokenizer, new InferenceEngineOptions { Batching = settings.Batching, MaxBatchRows = settings.MaxBatchRows });
        });
        LogLoaded(logger, key);
        return engine;
    }

    private void ReleaseOne(Entry entry, bool taken)
    {
        bool dispose;
        lock (_gate)
        {
            if (taken) entry.Leases--;
            dispose = entry.Retired && entry.Leases == 0 && !entry.Disposed;
            if (dispose) entry.Disposed = true;
        }

        if (!dispose) return;
        _ = entry.Engine.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully) t.Result.Dispose();
        }, TaskScheduler.Default);
        LogUnloaded(logger, entry.Key);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkpoint {Key} loaded for inference")]
    private static partial void LogLoaded(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkpoint {Key} unloaded (least recently used)")]
    private static partial void LogUnloaded(ILogger logger, string key);

    /// <summary>A request's hold on a loaded engine.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly LoadedCheckpoints _owner;
        private readonly Entry _entry;
        private int _released;

        internal Lease(LoadedCheckpoints owner, Entry entry, InferenceEngine engine)
        {
            _owner = owner;
            _entry = entry;
            Engine = engine;
        }

        /// <summary>The loaded checkpoint.</summary>
        public InferenceEngine Engine { get; }

        /// <inheritdoc />
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) _owner.ReleaseOne(_entry, taken: true);
        }
    }

    internal sealed class Entry(string key, Task<InferenceEngine> engine)
    {
        public string Key { get; } = key;

        public Task<InferenceEngine> Engine { get; } = engine;

        public int Leases { get; set; }

        public bool Retired { get; set; }

        public bool Disposed { get; set; }
    }
}
