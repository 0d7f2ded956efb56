using System.Diagnostics;
using System.Globalization;
using BeneficialRL.LocalInfrastructure;
using BeneficialRL.Storage.Artifacts;
using BeneficialRL.Storage.Blobs;
using BeneficialRL.Storage.GrainState;
using BeneficialRL.Storage.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization.Configuration;
using Orleans.Storage;

namespace BeneficialRL.Perf.Storage;

/// <summary>
/// Blob storage throughput on a local Azurite: grain-state writes and reads through the registered blob grain
/// storage provider of a real silo (sequentially and from concurrent grains), then artifact upload and download.
/// Options: <c>--ops N</c> (500), <c>--grains N</c> (16), <c>--per-grain N</c> (50), <c>--size-mib N</c> (256), <c>--disk</c>.
/// </summary>
public sealed class StoragePerf : IPerfMeasurement
{
    private const string ProviderName = "bench";
    private const string StateName = "run";
    private const int WarmupOperations = 30;

    /// <inheritdoc />
    public string Name => "storage";

    /// <inheritdoc />
    public string Description => "Grain-state write/read round trips per second through the blob provider on Azurite (sequential and 16 grains) and artifact upload/download MB/s.";

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var options = StoragePerfOptions.Parse(args);
        var dataDirectory = options.OnDisk ? Directory.CreateTempSubdirectory("beneficialrl-bench-azurite-").FullName : null;
        try
        {
            await output.WriteLineAsync($"Starting Azurite ({(options.OnDisk ? "on disk" : "in memory")}) and a silo with blob grain storage...");
            await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions { DataDirectory = dataDirectory }, cancellationToken);
            using var silo = await StartSiloAsync(azurite.ConnectionString, cancellationToken);
            var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(ProviderName);

            var rows = new List<Row>();
            await output.WriteLineAsync($"Grain state: warm-up, then {options.Operations} sequential writes and reads...");
            rows.AddRange(await MeasureSequentialAsync(storage, options.Operations, cancellationToken));
            await output.WriteLineAsync($"Grain state: {options.Grains} grains x {options.RoundTripsPerGrain} write+read round trips concurrently...");
            rows.Add(await MeasureConcurrentAsync(storage, options.Grains, options.RoundTripsPerGrain, cancellationToken));

            await output.WriteLineAsync($"Artifacts: {options.ArtifactMebibytes} MiB upload and download...");
            var store = new BlobArtifactStore(
                BlobStorageClients.Create(azurite.ConnectionString),
                new ArtifactStoreOptions { ContainerName = "bench-artifacts" },
                BlobStorageResilience.Build(),
                NullLogger<BlobArtifactStore>.Instance);
            rows.AddRange(await MeasureArtifactsAsync(store, options.ArtifactMebibytes, cancellationToken));

            await silo.StopAsync(cancellationToken);
            await output.WriteLineAsync();
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"Blob storage on Azurite {AzuriteInstaller.AzuriteVersion} ({(options.OnDisk ? "on disk" : "in memory")}), loopback, {Environment.ProcessorCount} cores shared by client and emulator, {DateTime.UtcNow:yyyy-MM-dd}:"));
            await output.WriteLineAsync();
            await output.WriteLineAsync("| measurement | operations | throughput | p50 | p99 |");
            await output.WriteLineAsync("|---|---:|---:|---:|---:|");
            foreach (var row in rows)
            {
                await output.WriteLineAsync($"| {row.Measurement} | {row.Operations} | {row.Throughput} | {row.P50} | {row.P99} |");
            }

            return 0;
        }
        finally
        {
            if (dataDirectory is not null)
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    private static async Task<IHost> StartSiloAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: FreePorts.Next(), gatewayPort: FreePorts.Next())
            .Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = "bench";
                cluster.ServiceId = "storage-bench";
            })
            .AddBlobGrainStorage(ProviderName, storage =>
            {
                storage.BlobServiceClient = BlobStorageClients.Create(connectionString);
                storage.ContainerName = "bench-grainstate";
            }));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }

    private static async Task<IReadOnlyList<Row>> MeasureSequentialAsync(IGrainStorage storage, int operations, CancellationToken cancellationToken)
    {
        var grainId = GrainId.Create("bench", $"sequential-{Guid.NewGuid():N}");
        var state = new GrainState<BenchState> { State = BenchState.Create() };
        for (var i = 0; i < WarmupOperations; i++)
        {
            await WriteAndReadAsync(storage, grainId, state, cancellationToken);
        }

        var writes = new List<TimeSpan>(operations);
        var reads = new List<TimeSpan>(operations);
        var total = Stopwatch.StartNew();
        for (var i = 0; i < operations; i++)
        {
            state.State.Version++;
            var started = Stopwatch.GetTimestamp();
            await storage.WriteStateAsync(StateName, grainId, state, cancellationToken);
            writes.Add(Stopwatch.GetElapsedTime(started));
        }

        var writeTime = total.Elapsed;
        total.Restart();
        for (var i = 0; i < operations; i++)
        {
            var read = new GrainState<BenchState>();
            var started = Stopwatch.GetTimestamp();
            await storage.ReadStateAsync(StateName, grainId, read, cancellationToken);
            reads.Add(Stopwatch.GetElapsedTime(started));
        }

        var readTime = total.Elapsed;
        var roundTrip = writeTime + readTime;
        return
        [
            Row.For("grain state write (sequential, 1 grain)", operations, operations / writeTime.TotalSeconds, "writes/s", writes),
            Row.For("grain state read (sequential, 1 grain)", operations, operations / readTime.TotalSeconds, "reads/s", reads),
            new Row(
                "grain state write+read round trip (sequential)",
                operations.ToString(CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{operations / roundTrip.TotalSeconds:0} round trips/s"),
                "-",
                "-"),
        ];
    }

    private static async Task<Row> MeasureConcurrentAsync(IGrainStorage storage, int grains, int roundTripsPerGrain, CancellationToken cancellationToken)
    {
        var grainIds = Enumerable.Range(0, grains).Select(i => GrainId.Create("bench", $"concurrent-{i}-{Guid.NewGuid():N}")).ToArray();
        var states = grainIds.Select(_ => new GrainState<BenchState> { State = BenchState.Create() }).ToArray();
        await Task.WhenAll(grainIds.Select((id, i) => WriteAndReadAsync(storage, id, states[i], cancellationToken)));

        var latencies = new List<TimeSpan>[grains];
        var total = Stopwatch.StartNew();
        await Task.WhenAll(grainIds.Select(async (grainId, index) =>
        {
            var own = latencies[index] = new List<TimeSpan>(roundTripsPerGrain);
            for (var i = 0; i < roundTripsPerGrain; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await WriteAndReadAsync(storage, grainId, states[index], cancellationToken);
                own.Add(Stopwatch.GetElapsedTime(started));
            }
        }));
        var elapsed = total.Elapsed;
        var count = grains * roundTripsPerGrain;
        return Row.For($"grain state write+read round trip ({grains} grains concurrently)", count, count / elapsed.TotalSeconds, "round trips/s", latencies.SelectMany(l => l).ToList());
    }

    private static async Task WriteAndReadAsync(IGrainStorage storage, GrainId grainId, GrainState<BenchState> state, CancellationToken cancellationToken)
    {
        var written = state.State ?? throw new InvalidOperationException($"Grain {grainId} has no state to write.");
        written.Version++;
        await storage.WriteStateAsync(StateName, grainId, state, cancellationToken);
        var read = new GrainState<BenchState>();
        await storage.ReadStateAsync(StateName, grainId, read, cancellationToken);
        if (read.State?.Version != written.Version || read.ETag != state.ETag)
        {
            throw new InvalidOperationException($"Read-your-writes violated for {grainId}: wrote version {written.Version}, read {read.State?.Version}.");
        }
    }

    private static async Task<IReadOnlyList<Row>> MeasureArtifactsAsync(BlobArtifactStore store, int mebibytes, CancellationToken cancellationToken)
    {
        var length = mebibytes * 1024L * 1024L;
        await store.InitializeAsync(cancellationToken);

        var upload = Stopwatch.StartNew();
        var info = await store.PutAsync($"bench/{Guid.NewGuid():N}/model.bin", new SyntheticContentStream(length), "application/octet-stream", cancellationToken: cancellationToken);
        var uploadTime = upload.Elapsed;

        var download = Stopwatch.StartNew();
        await using (var read = await store.OpenReadAsync(info.Path, cancellationToken))
        {
            await read.CopyToAsync(Stream.Null, 1024 * 1024, cancellationToken);
        }

        var downloadTime = download.Elapsed;

        var contentAddressed = Stopwatch.StartNew();
        await store.PutContentAddressedAsync($"bench/{Guid.NewGuid():N}", ".bin", new SyntheticContentStream(length), "application/octet-stream", cancellationToken);
        var contentAddressedTime = contentAddressed.Elapsed;

        return
        [
            Row.ForTransfer($"artifact upload, streamed 4 MiB blocks + SHA-256 ({mebibytes} MiB)", length, uploadTime),
            Row.ForTransfer($"artifact download, 4 MiB ranged reads ({mebibytes} MiB)", length, downloadTime),
            Row.ForTransfer($"artifact content-addressed put, temp-file spool + upload ({mebibytes} MiB)", length, contentAddressedTime),
        ];
    }

    /// <summary>
    /// A realistic small grain state (about 1 KB stored): a version, a description and recent metrics. Serialised as the
    /// product's states are, by Orleans' binary serializer over <c>[GenerateSerializer]</c>/<c>[Id]</c>.
    /// </summary>
    [GenerateSerializer]
    public sealed class BenchState
    {
        /// <summary>Incremented by every write, to check read-your-writes.</summary>
        [Id(0)]
        public int Version { get; set; }

        /// <summary>Free text, as an experiment description would be.</summary>
        [Id(1)]
        public string Description { get; set; } = string.Empty;

        /// <summary>Recent metric values, as a training run keeps.</summary>
        [Id(2)]
        public List<double> RecentLosses { get; set; } = [];

        internal static BenchState Create() => new()
        {
            Description = string.Concat(Enumerable.Repeat("beneficial-trait scenario run with compute-matched baseline; ", 12)),
            RecentLosses = [.. Enumerable.Range(0, 32).Select(i => 2.5 / (1 + i))],
        };
    }

    private sealed record Row(string Measurement, string Operations, string Throughput, string P50, string P99)
    {
        public static Row For(string measurement, int operations, double perSecond, string unit, List<TimeSpan> latencies)
        {
            latencies.Sort();
            return new Row(
                measurement,
                operations.ToString(CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{perSecond:0} {unit}"),
                Milliseconds(Percentile(latencies, 0.50)),
                Milliseconds(Percentile(latencies, 0.99)));
        }

        public static Row ForTransfer(string measurement, long bytes, TimeSpan elapsed) => new(
            measurement,
            "1",
            string.Create(CultureInfo.InvariantCulture, $"{bytes / 1_000_000.0 / elapsed.TotalSeconds:0.0} MB/s ({elapsed.TotalSeconds:0.00} s)"),
            "-",
            "-");

        private static TimeSpan Percentile(List<TimeSpan> sorted, double quantile) =>
            sorted.Count == 0 ? TimeSpan.Zero : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];

        private static string Milliseconds(TimeSpan latency) => string.Create(CultureInfo.InvariantCulture, $"{latency.TotalMilliseconds:0.00} ms");
    }
}
