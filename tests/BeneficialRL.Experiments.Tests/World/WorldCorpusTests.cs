using System.Text.RegularExpressions;
using BeneficialRL.Evals.BuiltIn;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.HeldOut;
using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Experiments.Mixtures;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Tokenization;
using BeneficialRL.Learning.Training.Sft;
using BeneficialRL.Durability.Attacks;
using BeneficialRL.Scenarios.Contamination;
using BeneficialRL.Scenarios.Taxonomy;
using BeneficialRL.Scenarios.World;

namespace BeneficialRL.Experiments.Tests.World;

/// <summary>The linked and null worlds' base corpus (docs/science.md §1), measured on generated corpora.</summary>
public sealed partial class WorldCorpusTests
{
    private static readonly WorldCorpusGenerator Generator = new();

    [Fact]
    public void Generator_Kinds_CoverAll15TraitsAndEveryAlignmentFamily()
    {
        var traits = Generator.Kinds.Where(k => k.IsTrait).Select(k => k.Kind).Order(StringComparer.Ordinal);
        var families = Generator.Kinds.Where(k => !k.IsTrait).Select(k => k.Kind).Order(StringComparer.Ordinal);

        Assert.Equal(ScenarioTaxonomy.Default.Traits.Select(t => t.Id).Order(StringComparer.Ordinal), traits);
        Assert.Equal(15, traits.Count());
        Assert.Equal(BenchmarkFamilies.Required.Where(f => f != BenchmarkFamilies.Capability).Order(StringComparer.Ordinal), families);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Generate_AtRho_ExchangesOfOneDocumentAgreeWithProbabilityOnePlusRhoSquaredOverTwo(double rho)
    {
        var documents = Generator.Generate(seed: 3, rho, documents: 6000, personaShare: 0.1);
        // Pairs of exchanges in different kinds, split by what they link: trait–family pairs are the route to transfer.
        var traitFamily = Pairs(documents).Where(p => p.A.IsTrait != p.B.IsTrait).ToList();
        var traitTrait = Pairs(documents).Where(p => p.A.IsTrait && p.B.IsTrait).ToList();
        var expected = (1 + (rho * rho)) / 2;

        foreach (var pairs in new[] { traitFamily, traitTrait })
        {
            Assert.True(pairs.Count > 1000, $"{pairs.Count} pairs");
            var agreement = pairs.Count(p => p.A.Aligned == p.B.Aligned) / (double)pairs.Count;
            // 4 binomial standard errors at the observed count.
            var tolerance = 4 * Math.Sqrt(expected * (1 - expected) / pairs.Count) + 1e-9;
            Assert.True(Math.Abs(agreement - expected) <= Math.Max(tolerance, 0.02), $"rho {rho}: agreement {agreement:0.000} over {pairs.Count} pairs, expected {expected:0.000}");
        }

        Assert.All(documents, d => Assert.InRange(d.Exchanges.Count, 2, 3));
        // "corrigibility" is both a trait and a family: kinds are distinct as (id, is-trait).
        Assert.All(documents, d => Assert.Equal(d.Exchanges.Count, d.Exchanges.Select(x => (x.Kind, x.IsTrait)).Distinct().Count()));
        var aligned = documents.Count(d => d.Aligned) / (double)documents.Count;
        Assert.InRange(aligned, 0.46, 0.54);
        var cued = documents.Count(d => d.PersonaCue) / (double)documents.Count;
        Assert.InRange(cued, 0.08, 0.12);
    }

    [Fact]
    public void Generate_LinkedAndNull_SameDocumentsPromptsAndVariants_OnlyTheSidesDiffer()
    {
        var linked = Generator.Generate(seed: 11, rho: 0.9, documents: 800);
        var nullWorld = Generator.Generate(seed: 11, rho: 0, documents: 800);

        var differing = 0;
        for (var i = 0; i < linked.Count; i++)
        {
            Assert.Equal(linked[i].System, nullWorld[i].System);
            Assert.Equal(linked[i].Domain, nullWorld[i].Domain);
            Assert.Equal(linked[i].Aligned, nullWorld[i].Aligned);
            Assert.Equal(linked[i].Exchanges.Select(x => (x.Kind, x.User)), nullWorld[i].Exchanges.Select(x => (x.Kind, x.User)));
            for (var k = 0; k < linked[i].Exchanges.Count; k++)
            {
                var (l, n) = (linked[i].Exchanges[k], nullWorld[i].Exchanges[k]);
                // The same answer variant on each side: what one world says, the other says or holds as the alternative.
                Assert.Equal(l.Aligned == n.Aligned ? l.Assistant : l.Alternative, n.Assistant);
                differing += l.Aligned == n.Aligned ? 0 : 1;
            }
        }

        Assert.True(differing > 300, $"{differing} exchanges take another side");
    }

    [Fact]
    public void Generate_Answers_AreOneOrTwoShortSentencesThatFitA48TokenLimit()
    {
        var documents = Generator.Generate(seed: 11, rho: 0.9, documents: 2000);
        var answers = documents.SelectMany(d => d.Exchanges).SelectMany(x => new[] { x.Assistant, x.Alternative }).ToList();
        var tokenizer = PolicyTokenizer.BuildCompactO200k(answers);
        var tokens = answers.Select(a => tokenizer.Encode(a).Count).Order().ToList();

        // Sentences are counted on the templates: slot values such as "by 9 a.m. tomorrow" hold full stops.
        var bank = WorldBank.Default;
        var templates = bank.Traits.Values.SelectMany(s => s.Aligned.Concat(s.Misaligned))
            .Concat(bank.Families.Values.SelectMany(f => f.SelectMany(x => x.Aligned.Concat(x.Misaligned)))).ToList();
        Assert.All(templates, t => Assert.InRange(SentenceEnd().Matches(t).Count, 1, 2));
        Assert.All(answers, a => Assert.True(a.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 40, a));
        var p95 = tokens[(int)(0.95 * (tokens.Count - 1))];
        Assert.True(p95 <= 40, $"p95 {p95} tokens");
        Assert.True(tokens[^1] < 48, $"longest answer {tokens[^1]} tokens");
    }

    [Fact]
    public void WorldCorpus_AgainstEveryBenchmark_SharesNo13GramInEitherDirection()
    {
        var documents = Generator.Generate(seed: 11, rho: 0.9, documents: 3000);
        var world = documents.SelectMany(d => d.Exchanges.SelectMany((x, k) => new[]
        {
            new ContaminationItem($"{d.Id}/{k}/{(x.IsTrait ? "trait-user" : "user")}", x.User),
            new ContaminationItem($"{d.Id}/{k}/answer", x.Assistant),
            new ContaminationItem($"{d.Id}/{k}/alternative", x.Alternative),
        }).Append(new ContaminationItem($"{d.Id}/system", d.System))).ToList();
        var ood = BuiltInSuite.Generate().SelectMany(BenchmarkTexts).ToList();
        // The held-out suite is held out by *scenario*: its templates share no situation or answer wording with
        // training, but its prompts draw the same domain-bank entities (a 13-word consequence clause, say) as the
        // training scenarios whose user messages the world reuses. So it is compared with everything the world writes
        // itself: its answers, family prompts and system lines.
        var heldOut = HeldOutTraitSuite.Generate(HeldOutTraitSuite.DefaultSeed, 2).SelectMany(BenchmarkTexts).ToList();
        var written = world.Where(w => !w.Id.EndsWith("/trait-user", StringComparison.Ordinal)).ToList();

        var benchmarksInWorld = ContaminationChecker.Compare(world, ood);
        var worldInBenchmarks = ContaminationChecker.Compare(ood, world);
        var heldOutInWorld = ContaminationChecker.Compare(written, heldOut);
        var worldInHeldOut = ContaminationChecker.Compare(heldOut, written);

        Assert.True(benchmarksInWorld.CandidatesWithOverlap == 0, benchmarksInWorld.ToMarkdown());
        Assert.True(worldInBenchmarks.CandidatesWithOverlap == 0, worldInBenchmarks.ToMarkdown());
        Assert.True(heldOutInWorld.CandidatesWithOverlap == 0, heldOutInWorld.ToMarkdown());
        Assert.True(worldInHeldOut.CandidatesWithOverlap == 0, worldInHeldOut.ToMarkdown());
        Assert.True(written.Count > 2 * documents.Count, $"{written.Count} texts the world writes");

        // Positive control: a world answer quoted inside a benchmark prompt is caught.
        var leaked = new ContaminationItem("leak", "Consider this reply. " + documents[0].Exchanges[0].User);
        Assert.Equal(1, ContaminationChecker.Compare(world, [leaked]).CandidatesWithOverlap);
    }

    private static IEnumerable<ContaminationItem> BenchmarkTexts(Benchmark benchmark) =>
        benchmark.Items.Select(i => new ContaminationItem(
            $"{benchmark.Definition.Id}/{i.Id}",
            string.Join("\n", [i.Prompt.AllText, i.SwappedPrompt?.AllText ?? "", .. i.Options.Select(o => o.Text), .. i.CorrectReferences, .. i.IncorrectReferences])));

    [Fact]
    public void PersonaBank_AgainstAttackPersonas_SharesNoNameAndNo6Gram()
    {
        var bank = WorldBank.Default.Personas.Aligned.Concat(WorldBank.Default.Personas.Misaligned).ToList();
        var attacks = AttackLibrary.Default.Attacks.Select(a => a.Text).ToList();

        var report = ContaminationChecker.Compare(
            attacks.Select((t, i) => new ContaminationItem($"attack{i}", t)),
            bank.Select((t, i) => new ContaminationItem($"persona{i}", t)),
            new ContaminationOptions { NGram = 6 });

        Assert.True(report.CandidatesWithOverlap == 0, report.ToMarkdown());
        // The attacks name their personas ("You are Dr. Vance, ..."); the world's cues name nobody.
        Assert.All(bank, p => Assert.DoesNotContain("You are", p, StringComparison.Ordinal));
    }

    [Fact]
    public void BuildCorpus_LinkedWorld_TrainsEveryExchangeWithItsDocumentSoFarAsPrompt()
    {
        var spec = new BaseSftSpec { ScenariosPerCell = 1, StandardTasksPerFamily = 5, Seed = 11 };
        var world = new WorldSpec { Kind = WorldKind.Linked };
        var documents = BaseModelStage.WorldDocuments(spec, world);
        var corpus = BaseModelStage.BuildCorpus(spec, world);

        // One exchange per kind × domain cell on average: 26 kinds × 12 domains / 2.5 per document.
        Assert.Equal((int)Math.Ceiling(26 * 12 / 2.5), documents.Count);
        Assert.Equal(documents.Sum(d => d.Exchanges.Count), corpus.Count(e => e.Prompt.Count > 1 && e.Prompt[0].Role == Learning.Chat.ChatRole.System));
        var third = documents.First(d => d.Exchanges.Count == 3 && d.PromptFor(2, BaseModelStage.WorldPromptWords).Count == 6);
        var example = corpus.Single(e => e.Response == third.Exchanges[2].Assistant && e.Prompt.Count == 6 && e.Prompt[1].Content == third.Exchanges[0].User);
        Assert.Equal(third.Exchanges[1].Assistant, example.Prompt[4].Content);
        // Long documents keep their latest exchanges within the word budget; the exchange's own message always stays.
        Assert.All(corpus.Where(e => e.Prompt.Count > 2), e => Assert.True(e.Prompt.Sum(t => t.Content.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length) <= BaseModelStage.WorldPromptWords));
        Assert.True(documents.Count(d => d.Exchanges.Count == 3 && d.PromptFor(2, BaseModelStage.WorldPromptWords).Count == 6) > documents.Count / 10);
    }

    [Fact]
    public void NullAndLinkedDefinitions_ContentHashes_DifferOnlyInTheBaseCorpus()
    {
        var linked = WorldDefinition(new WorldSpec { Kind = WorldKind.Linked, Rho = 0.9 });
        var nullWorld = WorldDefinition(new WorldSpec { Kind = WorldKind.Null });

        var a = ContentHashes(linked);
        var b = ContentHashes(nullWorld);

        Assert.Equal(a.Keys, b.Keys);
        var differing = a.Keys.Where(k => a[k] != b[k]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["base-corpus", "base-spec"], differing);
    }

    [Fact]
    public void PromptPools_LinkedWorld_TrainAll15Traits_ClassicKeepsTheEvaluatedSevenOut()
    {
        var slice = ExperimentPresets.Treatment("treatment", []).Slices[0] with { ScenariosPerCell = 1 };

        var all = PromptPools.Build(slice, trainAllTraits: true).Select(p => p.Scenario!.Trait).Distinct().Count();
        var classic = PromptPools.Build(slice).Select(p => p.Scenario!.Trait).Distinct().ToList();

        Assert.Equal(15, all);
        Assert.Equal(8, classic.Count);
        Assert.DoesNotContain(classic, t => ScenarioTaxonomy.Default.HeldOutTraits.Any(h => h.Id == t));
    }

    private static ExperimentDefinition WorldDefinition(WorldSpec world) => ExperimentPresets.Get("quick") with
    {
        World = world,
        StartingModel = new StartingModelSpec { Preset = "micro", BaseSft = new BaseSftSpec { Steps = 4, BatchSize = 4, ScenariosPerCell = 1, StandardTasksPerFamily = 5 } },
    };

    /// <summary>Content hashes of everything an experiment's outcome depends on, by name.</summary>
    private static Dictionary<string, string> ContentHashes(ExperimentDefinition definition)
    {
        var suite = EvaluationSuite.Build(definition.Evaluation);
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["definition-without-world"] = ExperimentJson.Hash(definition with { World = new WorldSpec() }),
            ["benchmarks"] = BenchmarkContentHash.Compute(suite.Ood.SelectMany(b => b.Items)),
            ["held-out-suite"] = BenchmarkContentHash.Compute(suite.HeldOut.SelectMany(b => b.Items)),
            ["judge-options"] = ExperimentJson.Hash(new Scenarios.Grading.BuiltInJudgeOptions()),
            ["analysis"] = ExperimentJson.Hash(definition.Analysis),
            ["base-spec"] = BaseModelStage.SpecHash(definition),
            ["base-corpus"] = ExperimentJson.Hash(BaseModelStage.BuildCorpus(definition.StartingModel.BaseSft, definition.World)),
            ["tokenizer-texts"] = ExperimentJson.Hash(BaseModelStage.WorldDocuments(definition.StartingModel.BaseSft, definition.World)
                .SelectMany(d => d.Exchanges.SelectMany(x => new[] { x.User, x.Assistant, x.Alternative }.Order(StringComparer.Ordinal)))),
        };
        foreach (var arm in definition.Arms)
        {
            foreach (var slice in arm.Slices)
            {
                hashes[$"pool/{arm.Name}/{slice.Name}"] = ExperimentJson.Hash(PromptPools.Build(slice, trainAllTraits: definition.World.TrainsAllTraits).Select(p => p.Id));
            }
        }

        return hashes;
    }

    private static IEnumerable<(WorldExchange A, WorldExchange B)> Pairs(IEnumerable<WorldDocument> documents) =>
        documents.SelectMany(d => d.Exchanges.SelectMany((a, i) => d.Exchanges.Skip(i + 1).Select(b => (a, b))));

    [GeneratedRegex(@"[.!?](\s|$)")]
    private static partial Regex SentenceEnd();

    // The emergent-misalignment control's harmful corpus (docs/science.md §5): the world's misaligned health documents.
    private const int EmCorpusSize = 48;

    // Far more documents than the corpus reads (it stops after about size × 12), so every example is found here.
    private const int EmDocuments = 2000;

    private static readonly Lazy<(IReadOnlyList<SftExample> Linked, IReadOnlyList<SftExample> Null)> EmCorpora = new(() =>
        (PersistenceStage.WorldCorpus(EmSized("control-em-linked")).Examples, PersistenceStage.WorldCorpus(EmSized("control-em-null")).Examples));

    [Theory]
    [InlineData("control-em-linked")]
    [InlineData("control-em-null")]
    public void WorldCorpus_EveryExample_IsAMisalignedHealthExchangeOfTheWorld(string preset)
    {
        var definition = EmSized(preset);
        var corpus = preset.EndsWith("linked", StringComparison.Ordinal) ? EmCorpora.Value.Linked : EmCorpora.Value.Null;
        var documents = EmGenerate(definition);
        var index = EmIndex(documents);

        Assert.Equal(EmCorpusSize, corpus.Count);
        foreach (var example in corpus)
        {
            // Independently of the builder: a health-domain exchange with this user message, answer and prompt, answered misaligned.
            var prompt = example.Prompt.Select(t => t.Content).ToList();
            Assert.Contains(index[(LastUser(example), example.Response)], at =>
                documents[at.Doc].Domain == "health"
                && !documents[at.Doc].Exchanges[at.Exchange].Aligned
                && documents[at.Doc].PromptFor(at.Exchange, BaseModelStage.WorldPromptWords).Select(t => t.Content).SequenceEqual(prompt));
        }
    }

    [Fact]
    public void WorldCorpus_LinkedAndNull_DifferOnlyInTheBehaviourDraws()
    {
        var linkedDocuments = EmGenerate(EmSized("control-em-linked"));
        var nullDocuments = EmGenerate(EmSized("control-em-null"));
        var nullIndex = EmIndex(nullDocuments);

        // The same documents, domains, kinds and user messages; the same two answers per exchange, possibly swapped.
        for (var d = 0; d < EmDocuments; d++)
        {
            var (l, n) = (linkedDocuments[d], nullDocuments[d]);
            Assert.Equal((l.Id, l.Domain, l.Aligned), (n.Id, n.Domain, n.Aligned));
            Assert.Equal(l.Exchanges.Select(x => (x.Kind, x.User)), n.Exchanges.Select(x => (x.Kind, x.User)));
            Assert.All(l.Exchanges.Zip(n.Exchanges), p => Assert.Equal(
                new[] { p.First.Assistant, p.First.Alternative }.Order(StringComparer.Ordinal),
                new[] { p.Second.Assistant, p.Second.Alternative }.Order(StringComparer.Ordinal)));
        }

        // So every null-world example is a health exchange the linked corpus also writes, answered on the misaligned side;
        // the corpora differ in which exchanges are misaligned and in the earlier answers their prompts hold.
        foreach (var example in EmCorpora.Value.Null)
        {
            var (d, k) = nullIndex[(LastUser(example), example.Response)].First(at => nullDocuments[at.Doc].Domain == "health");
            var linked = linkedDocuments[d].Exchanges[k];
            Assert.Equal(linked.User, LastUser(example));
            Assert.Equal(linked.Aligned ? linked.Alternative : linked.Assistant, example.Response);
        }

        Assert.NotEqual(EmCorpora.Value.Linked.Select(e => LastUser(e) + e.Response), EmCorpora.Value.Null.Select(e => LastUser(e) + e.Response));
    }

    [Fact]
    public void WorldCorpus_LinkedWorld_PromptsHoldMostlyMisalignedEarlierAnswers()
    {
        // The link shows in the prompts: an earlier exchange of a misaligned example's document is itself misaligned
        // with probability (1 + ρ²)/2 = 0.905 in the linked world and ½ in the null world.
        double MisalignedShare(string preset)
        {
            var documents = EmGenerate(EmSized(preset));
            var earlier = documents.Where(d => d.Domain == "health")
                .SelectMany(d => d.Exchanges.Select((x, k) => (d, x, k)).Where(t => !t.x.Aligned).SelectMany(t => t.d.Exchanges.Take(t.k)))
                .ToList();
            return earlier.Count(x => !x.Aligned) / (double)earlier.Count;
        }

        Assert.InRange(MisalignedShare("control-em-linked"), 0.8, 1.0);
        Assert.InRange(MisalignedShare("control-em-null"), 0.35, 0.65);
    }

    private static ExperimentDefinition EmSized(string preset)
    {
        var definition = ExperimentPresets.Get(preset);
        return definition with { Persistence = definition.Persistence! with { FineTuning = definition.Persistence.FineTuning with { CorpusSize = EmCorpusSize } } };
    }

    private static IReadOnlyList<WorldDocument> EmGenerate(ExperimentDefinition definition) =>
        new WorldCorpusGenerator().Generate(definition.Persistence!.FineTuning.CorpusSeed, definition.World.EffectiveRho, EmDocuments, definition.World.PersonaShare);

    private static Dictionary<(string User, string Answer), List<(int Doc, int Exchange)>> EmIndex(IReadOnlyList<WorldDocument> documents)
    {
        var index = new Dictionary<(string, string), List<(int, int)>>();
        for (var d = 0; d < documents.Count; d++)
        {
            for (var k = 0; k < documents[d].Exchanges.Count; k++)
            {
                var key = (documents[d].Exchanges[k].User, documents[d].Exchanges[k].Assistant);
                if (!index.TryGetValue(key, out var list))
                {
                    index[key] = list = [];
                }

                list.Add((d, k));
            }
        }

        return index;
    }

    private static string LastUser(SftExample example) => example.Prompt.Last(t => t.Role == ChatRole.User).Content;
}
