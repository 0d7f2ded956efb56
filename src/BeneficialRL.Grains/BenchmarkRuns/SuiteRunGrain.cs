using BeneficialRL.Contracts.BenchmarkRuns;
using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.Work;
using BeneficialRL.Grains.Catalog;

namespace BeneficialRL.Grains.BenchmarkRuns;

/// <summary>Fans a suite out into benchmark runs and gathers them; holds only their ids.</summary>
public sealed class SuiteRunGrain(
    [PersistentState("suite", GrainStorageNames.Default)] IPersistentState<SuiteRunState> state,
    TimeProvider time) : Grain, ISuiteRunGrain
{
    /// <inheritdoc />
    public async Task<SuiteRunInfo> CreateAsync(string checkpointId, string suite, IReadOnlyList<string> benchmarkIds, int? maxItemsPerBenchmark, int? samplesPerItem)
    {
        if (state.State.CheckpointId is not null) throw new ResourceAlreadyExistsException($"Suite run '{this.TenantAndId().Id}' already exists.");
        if (benchmarkIds.Count == 0) throw new ArgumentException("A suite run needs at least one benchmark.", nameof(benchmarkIds));
        var (tenant, id) = this.TenantAndId();
        var now = time.GetUtcNow();
        await GrainFactory.IndexAsync(tenant, ResourceKinds.SuiteRuns, id, now);
        state.State.CheckpointId = checkpointId;
        state.State.Suite = suite;
        state.State.CreatedAt = now;
        state.State.RunIds = [.. benchmarkIds.Select((_, i) => $"{id}-{i:D3}")];
        await state.WriteStateAsync();

        // Run ids are derived from the suite id, so a retry after a partial fan-out re-creates only the missing runs.
        await Task.WhenAll(benchmarkIds.Select(async (benchmarkId, i) =>
        {
            var run = GrainFactory.GetGrain<IBenchmarkRunGrain>(ResourceKey.For(tenant, state.State.RunIds[i]));
            if (await run.GetAsync() is null)
            {
                await run.CreateAsync(new BenchmarkRunRequest
                {
                    CheckpointId = checkpointId,
                    BenchmarkId = benchmarkId,
                    MaxItems = maxItemsPerBenchmark,
                    SamplesPerItem = samplesPerItem,
                    SuiteRunId = id,
                });
            }
        }));
        return (await GetAsync())!;
    }

    /// <inheritdoc />
    public async Task<SuiteRunInfo?> GetAsync()
    {
        if (state.State.CheckpointId is null) return null;
        var (tenant, id) = this.TenantAndId();
        var runs = await Task.WhenAll(state.State.RunIds.Select(r => GrainFactory.GetGrain<IBenchmarkRunGrain>(ResourceKey.For(tenant, r)).GetAsync()));
        return new SuiteRunInfo
        {
            Id = id,
            CheckpointId = state.State.CheckpointId,
            Suite = state.State.Suite!,
            CreatedAt = state.State.CreatedAt,
            Runs = runs.OfType<BenchmarkRunInfo>().ToList(),
        };
    }

    /// <inheritdoc />
    public async Task<SuiteRunInfo> CancelAsync()
    {
        var info = await GetAsync() ?? throw new ResourceNotFoundException($"Suite run '{this.TenantAndId().Id}' does not exist.");
        var (tenant, _) = this.TenantAndId();
        await Task.WhenAll(info.Runs
            .Where(r => r.Status is WorkStatus.Queued or WorkStatus.Running)
            .Select(r => GrainFactory.GetGrain<IBenchmarkRunGrain>(ResourceKey.For(tenant, r.Id)).CancelAsync()));
        return (await GetAsync())!;
    }
}

/// <summary>Persisted state of <see cref="SuiteRunGrain"/>.</summary>
[GenerateSerializer]
public sealed class SuiteRunState
{
    /// <summary>The evaluated checkpoint, once created.</summary>
    [Id(0)] public string? CheckpointId { get; set; }
    /// <summary>The suite's name.</summary>
    [Id(1)] public string? Suite { get; set; }
    /// <summary>Creation time.</summary>
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The benchmark runs' ids, in benchmark order.</summary>
    [Id(3)] public List<string> RunIds { get; set; } = [];
}
