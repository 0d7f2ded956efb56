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

/// <summary>The emergent-misalignment preset end to end through the one plan, at deliberately tiny sizes (a micro model, a few SFT steps).</summary>
public sealed class EmergentMisalignmentRunnerTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "brl-em-runner-" + Guid.NewGuid().ToString("N"));

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
}
