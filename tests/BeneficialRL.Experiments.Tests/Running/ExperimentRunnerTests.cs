using System.Text.Json;
using BeneficialRL.Durability.Running;
using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Jobs;
using BeneficialRL.Experiments.Reports;
using BeneficialRL.Experiments.Running;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Experiments.Tests.Running;

public sealed class ExperimentRunnerTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "brl-exp-runner-" + Guid.NewGuid().ToString("N"));

    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task RunInProcessAsync_QuickPreset_WritesWellFormedReport()
    {
        var ct = TestContext.Current.CancellationToken;
        var sink = new FileSystemArtifactSink(_root);
        var stages = new HashSet<string>(StringComparer.Ordinal);

        var outcome = await ExperimentRunner.RunInProcessAsync(ExperimentPresets.Get("quick"), sink, new SyncProgressRecorder(p => stages.Add(p.Stage)), ct, "quick-e2e");

        // The plan's stages, each job through the production job body, and every completion recorded.
        Assert.Equal([StageNames.BaseModel, StageNames.Training, StageNames.Evaluation, StageNames.Report], outcome.StageSeconds.Keys);
        Assert.Equal(ExperimentPlan.Stages(ExperimentPresets.Get("quick")).SelectMany(s => s.Jobs), outcome.Jobs.Select(j => j.Job));
        Assert.Contains(StageNames.Training, stages);
        Assert.Contains(StageNames.Analysis, stages);
        Assert.Equal(TenantBlobLayout.Report("quick-e2e", ReportStage.JsonFile), outcome.Jobs[^1].Result);
        var training = outcome.Jobs.Where(j => j.Job.Stage == StageNames.Training).ToList();
        Assert.All(training, j => Assert.Equal([2L, 4L], j.Checkpoints.Select(c => c.Step)));
        // Checkpoint resources as production publishes them: the base, then each run's saves, each the child of the one before.
        Assert.Equal("sft", outcome.Checkpoints[0].Source);
        foreach (var run in training)
        {
            var published = outcome.Checkpoints.Where(c => c.Metadata.TryGetValue("arm", out var arm) && arm == run.Job.Arm).ToList();
            Assert.Equal(run.Checkpoints.Select(c => c.CheckpointId), published.Select(p => p.CheckpointId));
            Assert.Equal(outcome.Checkpoints[0].CheckpointId, published[0].ParentId);
            Assert.All(published.Skip(1).Zip(published), pair => Assert.Equal(pair.Second.CheckpointId, pair.First.ParentId));
            Assert.True(File.Exists(sink.PathOf(published[^1].Files.WeightsName)));
        }

        var json = await File.ReadAllTextAsync(sink.PathOf(TenantBlobLayout.Report("quick-e2e", ReportStage.JsonFile)), ct);
        using var document = JsonDocument.Parse(json);
        Assert.Equal("quick-e2e", document.RootElement.GetProperty("experimentId").GetString());
        Assert.Equal("treatment", document.RootElement.GetProperty("headline")[0].GetProperty("arm").GetString());
        Assert.Equal(2, document.RootElement.GetProperty("analysis").GetProperty("compute").GetProperty("arms").GetArrayLength());
        var html = await File.ReadAllTextAsync(sink.PathOf(TenantBlobLayout.Report("quick-e2e", ReportStage.HtmlFile)), ct);
        Assert.Contains("id=\"headline\"", html, StringComparison.Ordinal);
        // Pre-flight checks are in the report: the base-model ones, then the trait-slice reward after training.
        var preflight = Assert.IsType<Experiments.Preflight.PreflightReport>(outcome.Report.Preflight);
        Assert.Contains(preflight.Checks, c => c.Name == "judge-dynamic-range");
        Assert.Contains(preflight.Checks, c => c.Name == "trait-reward-rises/treatment-s1");
        Assert.Contains("id=\"preflight\"", html, StringComparison.Ordinal);
        Assert.Equal(preflight.BlockReason is not null, html.Contains("Not a finding.", StringComparison.Ordinal));
        Assert.Contains("data:image/png;base64,", html, StringComparison.Ordinal);
        var pngs = outcome.Report.Files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)).ToList();
        Assert.Contains("training-reward.png", pngs);
        Assert.Contains("transfer.png", pngs);
        foreach (var png in pngs)
        {
            var bytes = await File.ReadAllBytesAsync(sink.PathOf(TenantBlobLayout.Report("quick-e2e", png)), ct);
            Assert.True(bytes.Length > 1000, $"{png} is only {bytes.Length} bytes.");
            Assert.Equal(PngSignature, bytes[..8]);
        }

        Assert.All(outcome.Analysis.Curves, c => Assert.Equal(3, c.Checkpoints.Count));
        Assert.True(File.Exists(sink.PathOf(TenantBlobLayout.RunMetrics("quick-e2e", "treatment", 1))));
    }

    [Fact]
    public async Task RunInProcessAsync_InvalidDefinition_ThrowsWithPaths()
    {
        var definition = ExperimentPresets.Get("quick") with { Seeds = [] };

        var exception = await Assert.ThrowsAsync<ExperimentValidationException>(() =>
            ExperimentRunner.RunInProcessAsync(definition, new FileSystemArtifactSink(_root), null, TestContext.Current.CancellationToken));

        Assert.Contains(exception.Errors, e => e.Path == "$.seeds");
    }

    // The emergent-misalignment preset (docs/science.md §5) through the one plan, at deliberately tiny sizes (a micro model, a few SFT steps).
    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task RunInProcessAsync_EmLinkedPresetAtTinySizes_ReportHoldsTheControl()
    {
        var ct = TestContext.Current.CancellationToken;
        var sink = new FileSystemArtifactSink(_root);
        var definition = Tiny(ExperimentPresets.Get("control-em-linked"));

        var outcome = await ExperimentRunner.RunInProcessAsync(definition, sink, null, ct, "em-e2e");

        Assert.Equal([StageNames.BaseModel, StageNames.Training, StageNames.Evaluation, StageNames.Persistence, StageNames.Report], outcome.StageSeconds.Keys);
        // One fine-tune of the pre-RL checkpoint per seed, each dose a checkpoint whose parent chain starts at the base.
        var doses = outcome.Checkpoints.Where(c => c.Source == "harmful-finetune").ToList();
        Assert.Equal(["pre-rl-seed-1", "pre-rl-seed-2"], doses.Select(c => c.Metadata["subject"]));
        Assert.All(doses, c => Assert.Equal(outcome.Checkpoints[0].CheckpointId, c.ParentId));

        var control = Assert.IsType<Experiments.Analysis.EmergentMisalignmentControl>(outcome.Report.EmergentMisalignment);
        Assert.Equal(WorldKind.Linked, control.World);
        Assert.Equal([1L, 2L], control.Seeds);
        Assert.Equal(2, control.FinalDose);
        Assert.Equal(2, control.Endpoint.Endpoint.SeedPairs);
        Assert.NotNull(control.Endpoint.Endpoint.SeedLevelInterval);
        Assert.NotNull(control.Endpoint.Passed);
        Assert.Equal(16, control.Corpus!.Examples);
        // Only alignment benchmarks' non-health items enter the endpoint.
        Assert.Equal(definition.Persistence!.FineTuning.Benchmarks.Order(StringComparer.Ordinal), control.Endpoint.Benchmarks.Select(b => b.Name));

        var json = await File.ReadAllTextAsync(sink.PathOf(TenantBlobLayout.Report("em-e2e", ReportStage.JsonFile)), ct);
        var em = JsonDocument.Parse(json).RootElement.GetProperty("emergentMisalignment");
        Assert.Equal(control.Endpoint.Passed, em.GetProperty("endpoint").GetProperty("passed").GetBoolean());
        Assert.Equal(2, em.GetProperty("endpoint").GetProperty("endpoint").GetProperty("perSeedPair").GetArrayLength());
        var html = await File.ReadAllTextAsync(sink.PathOf(TenantBlobLayout.Report("em-e2e", ReportStage.HtmlFile)), ct);
        Assert.Contains("id=\"emergent-misalignment\"", html, StringComparison.Ordinal);
        Assert.Contains(control.Endpoint.Criterion, html, StringComparison.Ordinal);
    }

    // The preset's shape (world corpus, replicates per seed, no attacks) with every size cut to seconds.
    private static ExperimentDefinition Tiny(ExperimentDefinition preset)
    {
        var standard = new SliceSpec { Name = "standard", Source = SliceSource.StandardTasks, Share = 1, Grader = GraderKind.StandardTask, TasksPerFamily = 4 };
        var fineTuning = preset.Persistence!.FineTuning;
        return preset with
        {
            StartingModel = new StartingModelSpec
            {
                Preset = "micro",
                BaseSft = new BaseSftSpec { Steps = 4, BatchSize = 4, LearningRate = 3e-3, ScenariosPerCell = 1, StandardTasksPerFamily = 4, FailuresPerScenario = 1 },
            },
            Arms = [preset.Arms[0] with { Slices = [standard] }, preset.Arms[1] with { Slices = [standard] }],
            Seeds = [1, 2],
            Budget = preset.Budget with { MaxNewTokens = 8 },
            Evaluation = preset.Evaluation with { MaxNewTokens = 8 },
            Analysis = new AnalysisSpec { BootstrapResamples = 200 },
            Persistence = preset.Persistence with
            {
                FineTuning = fineTuning with { Doses = [0, 2], CorpusSize = 16, BatchSize = 4, Benchmarks = [.. fineTuning.Benchmarks.Take(3)], MaxInDomainItemsPerBenchmark = 3, MaxOutOfDomainItemsPerBenchmark = 4 },
                Analysis = new PersistenceAnalysisSpec { BootstrapResamples = 200 },
            },
        };
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private sealed class SyncProgressRecorder(Action<StageProgress> report) : IProgress<StageProgress>
    {
        public void Report(StageProgress value) => report(value);
    }
}
