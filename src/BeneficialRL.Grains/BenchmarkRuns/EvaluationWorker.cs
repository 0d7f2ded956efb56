using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Scoring;
using BeneficialRL.Contracts.BenchmarkRuns;
using BeneficialRL.Contracts.Checkpoints;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.Work;
using BeneficialRL.Evaluation.Checkpoints;
using BeneficialRL.Grains.Telemetry;
using BeneficialRL.Grains.Workers;
using BeneficialRL.Storage.Artifacts;
using BeneficialRL.Primitives.Layout;
using Microsoft.Extensions.Logging;

namespace BeneficialRL.Grains.BenchmarkRuns;

/// <summary>
/// Runs benchmark evaluations on this trainer silo, one at a time (they saturate the cores), off every
/// grain turn. Benchmark-run grains hand runs to it; it reports progress and results back to them.
/// </summary>
public sealed partial class EvaluationWorker(
    IGrainFactory grains,
    IArtifactStore artifacts,
    BenchmarkResolver benchmarks,
    WorkMetrics metrics,
    ILogger<EvaluationWorker> logger) : WorkItemWorker("benchmark-run", metrics, logger)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc />
    protected override async Task RunAsync(string runKey, CancellationToken cancellationToken)
    {
        var run = grains.GetGrain<IBenchmarkRunGrain>(runKey);
        var info = await run.GetAsync();
        if (info?.Request is not { } request || info.Status is not (WorkStatus.Queued or WorkStatus.Running)) return;
        var (tenant, runId) = ResourceKey.Parse(runKey);
        var attempts = info.Attempts;
        await RunAttemptAsync(runKey, () => attempts, async () =>
        {
            var checkpoint = await grains.GetGrain<ICheckpointGrain>(ResourceKey.For(tenant, request.CheckpointId)).GetAsync()
                ?? throw new InvalidDataException($"Checkpoint '{request.CheckpointId}' no longer exists.");
            if (checkpoint.Details.ModelMetadataPath is null)
                throw new InvalidDataException($"Checkpoint '{checkpoint.Id}' has weights but no model description (meta.json), so it cannot be evaluated. Import it with its meta.json.");
            var benchmark = await benchmarks.FindAsync(tenant, request.BenchmarkId, cancellationToken)
                ?? throw new InvalidDataException($"Benchmark '{request.BenchmarkId}' is neither built in nor imported by this tenant.");

            using var evaluator = await LoadAsync(checkpoint.Details, cancellationToken);
            var options = new BenchmarkRunOptions { MaxItems = request.MaxItems, SamplesPerItem = request.SamplesPerItem ?? new BenchmarkRunOptions().SamplesPerItem };
            var total = Math.Min(request.MaxItems ?? int.MaxValue, benchmark.Items.Count);
            attempts = (await run.MarkRunningAsync(total, new BenchmarkVersion(benchmark.Definition.Version, benchmark.Definition.ContentHash, checkpoint.Details.Sha256))).Attempts;
            LogStarted(logger, runKey, benchmark.Definition.Id, total);

            var result = await evaluator.RunAsync(benchmark, options, new ThrottledProgress<int>(run.ReportProgressAsync, ProgressInterval), cancellationToken);
            var itemsPath = TenantBlobLayout.InTenant(tenant, TenantBlobLayout.BenchmarkItems(runId));
            using (var items = new MemoryStream())
            {
                await ItemResultsJsonl.WriteAsync(items, result.Items, cancellationToken);
                items.Position = 0;
                await artifacts.PutAsync(itemsPath, items, "application/x-ndjson", TenantBlobLayout.WriteModeOf(itemsPath), cancellationToken: cancellationToken);
            }

            using (var summary = new MemoryStream(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(result.Summary)))
            {
                var summaryPath = TenantBlobLayout.InTenant(tenant, TenantBlobLayout.BenchmarkSummary(runId));
                await artifacts.PutAsync(summaryPath, summary, "application/json", TenantBlobLayout.WriteModeOf(summaryPath), cancellationToken: cancellationToken);
            }

            await run.CompleteAsync(new BenchmarkSummary
            {
                Mean = result.Summary.Mean,
                StandardError = result.Summary.StandardError,
                N = result.Summary.N,
                Metrics = new(result.Summary.Metrics),
            }, itemsPath);
            Metrics.ItemsEvaluated(benchmark.Definition.Id, result.Summary.N);
            LogCompleted(logger, runKey, result.Summary.Mean, result.Summary.N);
        }, run.FailAsync, cancellationToken);
    }

    private async Task<CheckpointEvaluator> LoadAsync(CheckpointRegistration checkpoint, CancellationToken cancellationToken)
    {
        await using var weights = await artifacts.OpenReadAsync(checkpoint.WeightsPath, cancellationToken);
        await using var metadata = await artifacts.OpenReadAsync(checkpoint.ModelMetadataPath!, cancellationToken);
        return CheckpointEvaluator.Load(weights, metadata);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Benchmark run {RunKey} started: {BenchmarkId}, {Items} items")]
    private static partial void LogStarted(ILogger logger, string runKey, string benchmarkId, int items);

    [LoggerMessage(Level = LogLevel.Information, Message = "Benchmark run {RunKey} completed: mean {Mean:F3} over {N} items")]
    private static partial void LogCompleted(ILogger logger, string runKey, double mean, int n);
}

/// <summary>The benchmarks a run can name: the built-in suite and the held-out trait suite, generated once per silo.</summary>
public sealed class BenchmarkCatalogueProvider
{
    private readonly Lazy<BenchmarkCatalogue> _catalogue = new(BenchmarkSuites.All, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Every built-in benchmark.</summary>
    public BenchmarkCatalogue Catalogue => _catalogue.Value;

    /// <summary>Finds a benchmark by id.</summary>
    public bool TryGet(string id, out Benchmark benchmark) => Catalogue.TryGet(id, out benchmark);
}
