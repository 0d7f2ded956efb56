using BeneficialRL.Experiments.Mixtures;
using BeneficialRL.Experiments.Preflight;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Learning.Tokenization;
using BeneficialRL.Scenarios.Grading;

namespace BeneficialRL.Experiments.Tests.Preflight;

public sealed class PreflightChecksTests
{
    [Theory]
    [InlineData(WorldKind.Classic, 32, false)]
    [InlineData(WorldKind.Linked, 48, true)]
    [InlineData(WorldKind.Null, 48, true)]
    public void JudgeRange_WorldAtTokenLimit_MeasuredOnTheReferencesTheBaseLearnedFrom(WorldKind world, int maxNewTokens, bool passes)
    {
        var definition = ExperimentPresets.Get("demo") with
        {
            World = new WorldSpec { Kind = world },
            Budget = ExperimentPresets.Get("demo").Budget with { MaxNewTokens = maxNewTokens },
        };
        var slice = PreflightStage.TraitSlice(definition)! with { ScenariosPerCell = 1 };
        var pool = PromptPools.Build(slice, trainAllTraits: definition.World.TrainsAllTraits);
        var tokenizer = PolicyTokenizer.BuildCompactO200k(
            pool.SelectMany(p => p.Scenario!.References.Select(r => r.Text))
                .Concat(BaseModelStage.WorldDocuments(definition.StartingModel.BaseSft, definition.World).SelectMany(d => d.Exchanges.SelectMany(x => new[] { x.Assistant, x.Alternative }))));

        var check = PreflightStage.JudgeRange(definition, pool, tokenizer, new BuiltInJudge());

        // The classic world's long references, cut at the demo's 32 tokens, are what the audit measured (about 0.15).
        Assert.True(check.Passed == passes, $"{world} at {maxNewTokens}: {check.Detail}");
        if (Environment.GetEnvironmentVariable("BENEFICIALRL_PREFLIGHT_NOTES") is { Length: > 0 } notes)
        {
            File.AppendAllText(notes, $"{world} at {maxNewTokens} tokens: {check.Detail}\n");
        }
        Assert.Equal("judge-dynamic-range", check.Name);
    }

    [Fact]
    public void Checks_AtTheirThresholds_PassInsideAndFailOutside()
    {
        Assert.True(PreflightChecks.JudgeRange([0.9, 0.8], [0.3, 0.3], 48, "refs").Passed);
        Assert.False(PreflightChecks.JudgeRange([0.5, 0.5], [0.1, 0.1], 48, "refs").Passed);
        Assert.True(PreflightChecks.Truncation(4, 100, 48).Passed);
        Assert.False(PreflightChecks.Truncation(5, 100, 48).Passed);
        Assert.True(PreflightChecks.BehaviourMix([0.9, 0.1, 0.1, 0.1, 0.1]).Passed);
        Assert.False(PreflightChecks.BehaviourMix([0.1, 0.1, 0.1, 0.1, 0.1, 0.9]).Passed);
        Assert.False(PreflightChecks.BehaviourMix([0.9, 0.9, 0.9, 0.9, 0.9, 0.1]).Passed);
        Assert.True(PreflightChecks.ZeroVarianceGroups([[0.1, 0.2], [0.3, 0.3], [0.1, 0.5], [0.2, 0.4]]).Passed);
        Assert.False(PreflightChecks.ZeroVarianceGroups([[0.1, 0.1], [0.3, 0.3], [0.1, 0.5]]).Passed);
        var room = PreflightChecks.BenchmarkRoom(new Dictionary<string, double> { ["a"] = 0.5, ["b"] = 0.97, ["c"] = 0.2 });
        Assert.False(room.Passed);
        Assert.Contains("b 0.970", room.Detail, StringComparison.Ordinal);
        Assert.True(PreflightChecks.BenchmarkRoom(new Dictionary<string, double> { ["a"] = 0.5 }).Passed);
    }

    [Fact]
    public void Report_WithAFailedCheck_BlocksTheHeadlineAndSaysWhy()
    {
        var report = new PreflightReport([PreflightChecks.Truncation(1, 100, 48), PreflightChecks.BehaviourMix([0.0, 0.0, 0.0])]);

        Assert.False(report.Passed);
        Assert.Contains("base-behaviour-mix", report.BlockReason, StringComparison.Ordinal);
        Assert.Contains("almost nothing beneficial", report.BlockReason, StringComparison.Ordinal);
        Assert.DoesNotContain("answers-fit-limit", report.BlockReason, StringComparison.Ordinal);
        Assert.Null(new PreflightReport([PreflightChecks.Truncation(1, 100, 48)]).BlockReason);
    }

    [Fact]
    public void Slope_AgainstMathNetLinearFit_AgreesAndItsIntervalCoversTheTruth()
    {
        var random = new Random(5);
        var covered = 0;
        for (var trial = 0; trial < 400; trial++)
        {
            var points = Enumerable.Range(0, 30).Select(s => ((long)s, 0.2 + (0.004 * s) + (0.05 * Normal(random)))).ToList();
            var (slope, low, high) = PreflightChecks.Slope(points);
            var (_, fitted) = MathNet.Numerics.Fit.Line([.. points.Select(p => (double)p.Item1)], [.. points.Select(p => p.Item2)]);
            Assert.Equal(fitted, slope, 10);
            covered += low <= 0.004 && 0.004 <= high ? 1 : 0;
        }

        // 95% nominal coverage; 400 trials give a Monte Carlo SE of about 1.1 points.
        Assert.InRange(covered / 400.0, 0.91, 0.99);
    }

    [Fact]
    public void TraitRewardRises_FlatNoisyReward_Fails_RisingReward_Passes()
    {
        var random = new Random(9);
        var flat = Enumerable.Range(0, 40).Select(s => ((long)s, 0.3 + (0.05 * Normal(random)))).ToList();
        var rising = Enumerable.Range(0, 40).Select(s => ((long)s, 0.3 + (0.01 * s) + (0.05 * Normal(random)))).ToList();

        Assert.False(PreflightChecks.TraitRewardRises("treatment-s1", flat).Passed);
        Assert.True(PreflightChecks.TraitRewardRises("treatment-s1", rising).Passed);
        Assert.False(PreflightChecks.TraitRewardRises("treatment-s1", rising.Take(2).ToList()).Passed);
    }

    [Theory]
    [InlineData(true, new[] { 0.70, 0.60 }, new[] { 0.55, 0.50 }, 12.5, true)]
    [InlineData(true, new[] { 0.60, 0.60 }, new[] { 0.52, 0.52 }, 8.0, false)]
    [InlineData(false, new[] { 0.50, 0.52 }, new[] { 0.49, 0.47 }, 3.0, true)]
    [InlineData(false, new[] { 0.40, 0.40 }, new[] { 0.52, 0.52 }, -12.0, false)]
    public void PersonaCoupling_ShiftInPoints_LinkedNeedsTenNullStaysWithinTen(bool linked, double[] afterAligned, double[] afterMisaligned, double shift, bool passes)
    {
        var check = PreflightChecks.PersonaCoupling(afterAligned, afterMisaligned, linked ? 0.9 : 0, linked);

        Assert.Equal("persona-coupling", check.Name);
        Assert.Equal(shift, check.Value, 9);
        Assert.Equal(passes, check.Passed);
        Assert.Contains("2 cross-document pairs", check.Detail, StringComparison.Ordinal);
        Assert.Equal(!passes && linked, check.Detail.Contains("has not learned the disposition link", StringComparison.Ordinal));
    }

    [Fact]
    public void PersonaCoupling_UnequalSides_Throws() =>
        Assert.Throws<ArgumentException>(() => PreflightChecks.PersonaCoupling([0.5], [], 0.9, linked: true));

    [Fact]
    public void CouplingPairs_CrossDocument_DifferentKinds_NoPersonaCue_BothAnswersOfEachSide()
    {
        var documents = new BeneficialRL.Scenarios.World.WorldCorpusGenerator().Generate(7, 0.9, 300, personaShare: 0.2);

        var pairs = PreflightStage.CouplingPairs(documents, PreflightStage.CouplingPairCount);

        Assert.Equal(PreflightStage.CouplingPairCount, pairs.Count);
        var personaSystems = documents.Where(d => d.PersonaCue).Select(d => d.System).ToHashSet(StringComparer.Ordinal);
        Assert.All(pairs, p =>
        {
            Assert.NotEqual(p.PrefixKind, p.TargetKind);
            Assert.DoesNotContain(p.System, personaSystems);
            Assert.NotEqual(p.PrefixAligned, p.PrefixMisaligned);
            Assert.NotEqual(p.TargetAligned, p.TargetMisaligned);
        });
        Assert.Empty(PreflightStage.CouplingPairs([], 8));
    }

    [Theory]
    [InlineData(WorldKind.Linked)]
    [InlineData(WorldKind.Null)]
    public void CouplingPairsFor_World_TakesOnlyExchangesTheBaseModelNeverTrainedOn(WorldKind world)
    {
        // A model that has memorised its corpus answers a corpus exchange the same way whatever precedes it, so pairs
        // taken from the corpus read "no link" for every model that fits its corpus (docs/science.md §7, candidate D).
        var definition = ExperimentPresets.Get("testbed-linked") with { World = new WorldSpec { Kind = world } };
        var spec = definition.StartingModel.BaseSft;
        var corpus = BaseModelStage.WorldDocuments(spec, definition.World);
        var trainedUsers = corpus.SelectMany(d => d.Exchanges).Select(x => x.User).ToHashSet(StringComparer.Ordinal);
        var trainedAnswers = corpus.SelectMany(d => d.Exchanges).SelectMany(x => new[] { x.Assistant, x.Alternative }).ToHashSet(StringComparer.Ordinal);

        var pairs = PreflightStage.CouplingPairsFor(definition);

        Assert.Equal(PreflightStage.CouplingPairCount, pairs.Count);
        Assert.All(pairs, p =>
        {
            Assert.DoesNotContain(p.PrefixUser, trainedUsers);
            Assert.DoesNotContain(p.TargetUser, trainedUsers);
            Assert.NotEqual(p.PrefixKind, p.TargetKind);
        });
        // Held-out, yet the same world: the pairs' answers are the world's wording, not a new one.
        Assert.Contains(pairs, p => trainedAnswers.Contains(p.TargetAligned) || trainedAnswers.Contains(p.TargetMisaligned));
    }

    [Fact]
    public void TraitPromptsFor_TestbedAndAa_TheTraitSlicesScenariosOrNone()
    {
        // The prompts the behaviour-mix check samples, which the measurement test samples again for labelling by hand.
        var testbed = ExperimentPresets.Get("testbed-linked");
        var slice = PreflightStage.TraitSlice(testbed)!;
        var pool = PromptPools.Build(slice, trainAllTraits: testbed.World.TrainsAllTraits).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);

        var prompts = PreflightStage.TraitPromptsFor(testbed);

        Assert.Equal(PreflightStage.TraitPrompts, prompts.Count);
        Assert.All(prompts, p => Assert.NotNull(p.Scenario));
        Assert.All(prompts, p => Assert.Contains(p.Id, pool));
        Assert.Equal(prompts.Count, prompts.Select(p => p.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(prompts.Select(p => p.Id), PreflightStage.TraitPromptsFor(testbed).Select(p => p.Id));
        Assert.Empty(PreflightStage.TraitPromptsFor(ExperimentPresets.Get("control-aa")));
    }

    [Fact]
    public void HeldOutWorldDocuments_Linked_FollowTheCorpusWithoutChangingIt()
    {
        var spec = ExperimentPresets.Get("testbed-linked").StartingModel.BaseSft;
        var world = new WorldSpec { Kind = WorldKind.Linked };
        var corpus = BaseModelStage.WorldDocuments(spec, world);

        var heldOut = BaseModelStage.HeldOutWorldDocuments(spec, world, 40);
        var longer = new BeneficialRL.Scenarios.World.WorldCorpusGenerator().Generate(spec.Seed, world.EffectiveRho, corpus.Count + 40, world.PersonaShare);

        Assert.Equal(40, heldOut.Count);
        Assert.Equal(corpus.Select(d => d.Id), longer.Take(corpus.Count).Select(d => d.Id));
        Assert.Equal(corpus.Select(d => d.Exchanges[0].Assistant), longer.Take(corpus.Count).Select(d => d.Exchanges[0].Assistant));
        Assert.Equal(longer.Skip(corpus.Count).Select(d => d.Id), heldOut.Select(d => d.Id));
        Assert.Empty(heldOut.Select(d => d.Id).Intersect(corpus.Select(d => d.Id)));
        Assert.Empty(BaseModelStage.HeldOutWorldDocuments(spec, new WorldSpec { Kind = WorldKind.Classic }, 40));
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
