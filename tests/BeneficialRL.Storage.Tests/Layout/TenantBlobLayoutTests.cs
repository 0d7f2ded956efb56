using BeneficialRL.Storage.Artifacts;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Storage.Tests.Layout;

/// <summary>Every path kind of <see cref="TenantBlobLayout"/>: the names stored data already uses, and its write mode.</summary>
public sealed class TenantBlobLayoutTests
{
    public static TheoryData<string, string, ArtifactWriteMode> PathKinds() => new()
    {
        { TenantBlobLayout.ScenarioVersion("health", "ab12"), "scenarios/health/ab12.jsonl", ArtifactWriteMode.Immutable },
        { TenantBlobLayout.CheckpointArchive("ckpt-1"), "checkpoints/ckpt-1/checkpoint.tar", ArtifactWriteMode.Immutable },
        { TenantBlobLayout.CheckpointWeights("ckpt-1"), "checkpoints/ckpt-1/model.safetensors", ArtifactWriteMode.Immutable },
        { TenantBlobLayout.CheckpointMetadata("ckpt-1"), "checkpoints/ckpt-1/meta.json", ArtifactWriteMode.Immutable },
        { TenantBlobLayout.BaseRecord("0123abcd"), "checkpoints/base-0123abcd/base.json", ArtifactWriteMode.Replace },
        { TenantBlobLayout.BenchmarkDefinition("bbq", "c0ffee"), "benchmark-definitions/bbq/c0ffee.json", ArtifactWriteMode.Immutable },
        { TenantBlobLayout.BenchmarkItems("run-1"), "benchmarks/run-1/items.jsonl", ArtifactWriteMode.Replace },
        { TenantBlobLayout.BenchmarkSummary("run-1"), "benchmarks/run-1/summary.json", ArtifactWriteMode.Replace },
        { TenantBlobLayout.ExperimentDefinition("e1"), "experiments/e1/experiment.json", ArtifactWriteMode.Replace },
        { TenantBlobLayout.ExperimentBase("e1"), "experiments/e1/base.json", ArtifactWriteMode.Replace },
        { TenantBlobLayout.ExperimentBaseCurve("e1"), "experiments/e1/curve-base.json", ArtifactWriteMode.Replace },
        { TenantBlobLayout.RunMetrics("e1", "treatment", 1), "experiments/e1/runs/treatment-s1/metrics.jsonl", ArtifactWriteMode.Replace },
        { TenantBlobLayout.RunEvaluation("e1", "control", 2, 40), "experiments/e1/runs/control-s2/eval-step00040.json", ArtifactWriteMode.Replace },
        { TenantBlobLayout.RunCurve("e1", "control", 2, 10), "experiments/e1/runs/control-s2/curve-step00010.json", ArtifactWriteMode.Replace },
        { TenantBlobLayout.ExperimentPersistence("e1"), "experiments/e1/persistence.json", ArtifactWriteMode.Replace },
        { TenantBlobLayout.ExperimentAnalysis("e1"), "experiments/e1/analysis.json", ArtifactWriteMode.Replace },
        { TenantBlobLayout.Report("e1", "report.html"), "reports/e1/report.html", ArtifactWriteMode.Replace },
        { TenantBlobLayout.PersistenceRunResult("p1"), "persistence/p1/result.json", ArtifactWriteMode.Replace },
        { TenantBlobLayout.PersistenceRunReport("p1"), "persistence/p1/report.html", ArtifactWriteMode.Replace },
    };

    [Theory]
    [MemberData(nameof(PathKinds))]
    public void PathKind_Built_IsTheStoredNameWithItsWriteMode(string built, string expected, ArtifactWriteMode mode)
    {
        Assert.Equal(expected, built);
        Assert.Equal(mode, TenantBlobLayout.WriteModeOf(built));
        Assert.Equal(mode, TenantBlobLayout.WriteModeOf(TenantBlobLayout.InTenant("acme", built)));
    }

    [Fact]
    public void RunMetrics_ByRunKey_IsTheNameByArmAndSeed() =>
        Assert.Equal(TenantBlobLayout.RunMetrics("e1", "treatment", 1), TenantBlobLayout.RunMetrics("e1", TenantBlobLayout.RunKey("treatment", 1)));

    [Fact]
    public void InTenant_TwoTenants_PutTheSameNameInSeparateFolders()
    {
        var name = TenantBlobLayout.CheckpointWeights("ckpt-1");

        var acme = TenantBlobLayout.InTenant("acme", name);
        var globex = TenantBlobLayout.InTenant("globex", name);

        Assert.Equal("tenants/acme/checkpoints/ckpt-1/model.safetensors", acme);
        Assert.Equal("tenants/globex/checkpoints/ckpt-1/model.safetensors", globex);
        Assert.StartsWith(TenantBlobLayout.TenantFolder("acme"), acme, StringComparison.Ordinal);
        Assert.False(globex.StartsWith(TenantBlobLayout.TenantFolder("acme"), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a/b")]
    [InlineData("..\\other")]
    [InlineData("trailing.")]
    [InlineData("line\nbreak")]
    public void Builders_ASegmentThatIsNotOneName_ThrowNamingTheParameter(string bad)
    {
        Assert.Equal("setId", Assert.Throws<ArgumentException>(() => TenantBlobLayout.ScenarioVersion(bad, "ab12")).ParamName);
        Assert.Equal("folderKey", Assert.Throws<ArgumentException>(() => TenantBlobLayout.CheckpointWeights(bad)).ParamName);
        Assert.Equal("arm", Assert.Throws<ArgumentException>(() => TenantBlobLayout.RunMetrics("e1", bad, 1)).ParamName);
        Assert.Equal("file", Assert.Throws<ArgumentException>(() => TenantBlobLayout.Report("e1", bad)).ParamName);
        Assert.Equal("tenant", Assert.Throws<ArgumentException>(() => TenantBlobLayout.InTenant(bad, "experiments/e1/base.json")).ParamName);
    }

    [Theory]
    [InlineData("../globex/checkpoints/x/model.safetensors")]
    [InlineData("experiments//base.json")]
    [InlineData("/experiments/e1/base.json")]
    [InlineData("experiments/e1/")]
    [InlineData("")]
    public void InTenant_APathThatClimbsOutOrHasAnEmptySegment_Throws(string relative)
    {
        var error = Assert.Throws<ArgumentException>(() => TenantBlobLayout.InTenant("acme", relative));

        Assert.Equal("relativePath", error.ParamName);
    }

    [Fact]
    public void CheckpointIds_ValidKeys_AreTheFolderKeysStoredCheckpointsUse()
    {
        Assert.Equal("base-0123abcd", CheckpointIds.Base("0123abcd"));
        Assert.Equal("e1-treatment-s1-step00040", CheckpointIds.RunFolder("e1", "treatment", 1, 40));
        Assert.Equal("e1-treatment-s1-step00040", CheckpointIds.Run("e1", "treatment", 1, 40));
        Assert.Equal("e1-pre-rl-dose0003", CheckpointIds.DoseFolder("e1", "pre-rl", 3));
        Assert.Equal("e1-pre-rl-dose0003", CheckpointIds.Dose("e1", "pre-rl", 3));
        Assert.Equal("run-7-s1-dose0010", CheckpointIds.Dose("run-7", "s1", 10));
    }

    [Fact]
    public void CheckpointIds_KeyTooLongForAnId_IdHashesTheSubjectAndFolderKeepsThePlainKey()
    {
        var experiment = new string('e', 30);
        var arm = new string('a', 40);

        var folder = CheckpointIds.RunFolder(experiment, arm, 1, 5);
        var id = CheckpointIds.Run(experiment, arm, 1, 5);

        Assert.Equal($"{experiment}-{arm}-s1-step00005", folder);
        Assert.Matches($"^{experiment}-[0-9a-f]{{8}}-s1-step00005$", id);
        Assert.Equal(id, CheckpointIds.Run(experiment, arm, 1, 5));
        Assert.NotEqual(id, CheckpointIds.Run(experiment, arm + "b", 1, 5));
        Assert.True(BeneficialRL.Primitives.Resources.ResourceIds.IsValidId(CheckpointIds.Dose(new string('r', 64), "s0", 1)));
    }
}
