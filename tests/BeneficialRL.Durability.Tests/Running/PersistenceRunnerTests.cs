using BeneficialRL.Durability.Attacks;
using BeneficialRL.Durability.FineTuning;
using BeneficialRL.Durability.Reports;
using BeneficialRL.Durability.Running;

namespace BeneficialRL.Durability.Tests.Running;

public sealed class PersistenceRunnerTests
{
    private static readonly Lazy<Task<(PersistenceResult Result, List<DoseCheckpoint> Handed, List<PersistenceProgress> Progress)>> QuickRun = new(RunQuickAsync);

    [Fact]
    public async Task RunAsync_QuickOnTwoCheckpoints_ReportsEveryAttackKindAndComparison()
    {
        var (result, _, progress) = await QuickRun.Value;

        Assert.Equal(["baseline", "treatment"], result.Subjects);
        Assert.Equal(2, result.Adversarial.Count);
        var attacks = PersistenceSpec.Quick.Adversarial.Attacks.Count;
        Assert.All(result.Adversarial, s => Assert.Equal(attacks, s.Attacks.Count));
        Assert.All(result.Adversarial, s => Assert.Equal([AttackKind.HarmfulPersona, AttackKind.HelpfulPersona, AttackKind.Transform], s.Kinds.Select(k => k.Kind)));
        Assert.All(result.Adversarial, s => Assert.Equal(2 * 5, s.Attacks[0].Degradation.Items));
        var comparison = Assert.Single(result.AdversarialComparisons);
        Assert.Equal(("treatment", "baseline"), (comparison.Subject, comparison.Reference));
        Assert.Equal(3, comparison.Kinds.Count);
        Assert.Equal(attacks, comparison.Attacks.Count);
        Assert.All(comparison.Kinds, k => Assert.True(k.Comparison.DifferencePoints.Interval.Lower <= k.Comparison.DifferencePoints.Interval.Upper));
        Assert.Contains(progress, p => p.Phase == PersistenceProgress.Adversarial);
        Assert.Contains(progress, p => p.Phase == PersistenceProgress.FineTuning);
    }

    [Fact]
    public async Task RunAsync_Quick_FineTunesEachSubjectAlongTheDoseLadder()
    {
        var (result, handed, _) = await QuickRun.Value;

        Assert.NotNull(result.Corpus);
        Assert.Equal(0, result.Corpus.SharedNGramCandidates);
        Assert.Equal(2, result.FineTuning.Count);
        Assert.All(result.FineTuning, s => Assert.Equal([0, 2, 5], s.Rungs.Select(r => r.Lineage.Dose)));
        Assert.All(result.FineTuning, s => Assert.NotNull(s.InDomainHalfLife));
        Assert.All(result.FineTuning, s => Assert.Contains(s.DeltaTable, d => d.Scope == DeltaRow.OutOfDomain));
        Assert.Equal(4, handed.Count);
        Assert.Equal(["baseline", "baseline", "treatment", "treatment"], handed.Select(h => h.Lineage.Subject));
        Assert.Equal(2, result.FineTuningComparisons.Count);
        Assert.All(result.FineTuning, s => Assert.Equal(s.Rungs[1].Lineage.ContentHash, s.Rungs[2].Lineage.ParentContentHash));
    }

    [Fact]
    public async Task Result_JsonRoundTrip_KeepsNumbersAndInfinities()
    {
        var (result, _, _) = await QuickRun.Value;

        var json = PersistenceJson.Serialize(result);
        var back = PersistenceJson.DeserializeResult(json);

        Assert.Equal(json, PersistenceJson.Serialize(back));
        Assert.Contains("\"adversarialComparisons\":", json, StringComparison.Ordinal);
        Assert.Contains("\"harmful-persona\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_Render_HasPlotsAndTables()
    {
        var (result, _, _) = await QuickRun.Value;

        var embedded = PersistenceReport.Render(result);
        var linked = PersistenceReport.Render(result, embedImages: false);

        Assert.Equal([PersistenceReport.DegradationImage, PersistenceReport.DoseCurvesImage], embedded.Images.Keys.Order(StringComparer.Ordinal));
        Assert.All(embedded.Images.Values, png => Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Take(4)));
        Assert.Contains("data:image/png;base64,", embedded.Html, StringComparison.Ordinal);
        Assert.Contains($"src=\"{PersistenceReport.DoseCurvesImage}\"", linked.Html, StringComparison.Ordinal);
        Assert.Contains("Alignment half-life", embedded.Html, StringComparison.Ordinal);
        Assert.Contains("Δ table", embedded.Html, StringComparison.Ordinal);
        Assert.Contains("helpful personas", embedded.Html, StringComparison.Ordinal);
        Assert.StartsWith("<section", embedded.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ReferenceNotASubject_ThrowsNamingIt()
    {
        using var checkpoint = TestWorld.MicroCheckpoint(1);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => PersistenceRunner.RunAsync(
            PersistenceSpec.Quick, [new PersistenceSubject("a", checkpoint)], "pre-rl", null, null, TestContext.Current.CancellationToken, TestWorld.Catalogue));

        Assert.Contains("'pre-rl'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InvalidSpec_ThrowsWithJsonPaths()
    {
        using var checkpoint = TestWorld.MicroCheckpoint(1);
        var spec = PersistenceSpec.Quick with { FineTuning = PersistenceSpec.Quick.FineTuning with { Doses = [0, 5, 3] } };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => PersistenceRunner.RunAsync(
            spec, [new PersistenceSubject("a", checkpoint)], "a", null, null, TestContext.Current.CancellationToken, TestWorld.Catalogue));

        Assert.Contains("$.fineTuning.doses[2]", error.Message, StringComparison.Ordinal);
    }

    private static async Task<(PersistenceResult, List<DoseCheckpoint>, List<PersistenceProgress>)> RunQuickAsync()
    {
        using var baseline = TestWorld.MicroCheckpoint(21);
        using var treatment = TestWorld.MicroCheckpoint(22);
        var handed = new List<DoseCheckpoint>();
        var progress = new List<PersistenceProgress>();
        var result = await PersistenceRunner.RunAsync(
            PersistenceSpec.Quick,
            [new PersistenceSubject("baseline", baseline), new PersistenceSubject("treatment", treatment)],
            "baseline",
            (dose, _) =>
            {
                // The checkpoint is disposed after the callback: keep only the lineage.
                handed.Add(dose with { Checkpoint = null! });
                return Task.CompletedTask;
            },
            new SyncProgress(progress.Add),
            CancellationToken.None,
            TestWorld.Catalogue);
        return (result, handed, progress);
    }

    private sealed class SyncProgress(Action<PersistenceProgress> report) : IProgress<PersistenceProgress>
    {
        public void Report(PersistenceProgress value) => report(value);
    }
}
