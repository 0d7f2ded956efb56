using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Training.Sft;
using BeneficialRL.Scenarios.World;

namespace BeneficialRL.Experiments.Tests.World;

/// <summary>The emergent-misalignment control's harmful corpus (docs/science.md §5): the world's misaligned health documents.</summary>
public sealed class EmergentMisalignmentCorpusTests
{
    private const int Size = 48;

    // Far more documents than the corpus reads (it stops after about size × 12), so every example is found here.
    private const int Documents = 2000;

    private static readonly Lazy<(IReadOnlyList<SftExample> Linked, IReadOnlyList<SftExample> Null)> Corpora = new(() =>
        (PersistenceStage.WorldCorpus(Sized("control-em-linked")).Examples, PersistenceStage.WorldCorpus(Sized("control-em-null")).Examples));

    [Theory]
    [InlineData("control-em-linked")]
    [InlineData("control-em-null")]
    public void WorldCorpus_EveryExample_IsAMisalignedHealthExchangeOfTheWorld(string preset)
    {
        var definition = Sized(preset);
        var corpus = preset.EndsWith("linked", StringComparison.Ordinal) ? Corpora.Value.Linked : Corpora.Value.Null;
        var documents = Generate(definition);
        var index = Index(documents);

        Assert.Equal(Size, corpus.Count);
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
        var linkedDocuments = Generate(Sized("control-em-linked"));
        var nullDocuments = Generate(Sized("control-em-null"));
        var nullIndex = Index(nullDocuments);

        // The same documents, domains, kinds and user messages; the same two answers per exchange, possibly swapped.
        for (var d = 0; d < Documents; d++)
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
        foreach (var example in Corpora.Value.Null)
        {
            var (d, k) = nullIndex[(LastUser(example), example.Response)].First(at => nullDocuments[at.Doc].Domain == "health");
            var linked = linkedDocuments[d].Exchanges[k];
            Assert.Equal(linked.User, LastUser(example));
            Assert.Equal(linked.Aligned ? linked.Alternative : linked.Assistant, example.Response);
        }

        Assert.NotEqual(Corpora.Value.Linked.Select(e => LastUser(e) + e.Response), Corpora.Value.Null.Select(e => LastUser(e) + e.Response));
    }

    [Fact]
    public void WorldCorpus_LinkedWorld_PromptsHoldMostlyMisalignedEarlierAnswers()
    {
        // The link shows in the prompts: an earlier exchange of a misaligned example's document is itself misaligned
        // with probability (1 + ρ²)/2 = 0.905 in the linked world and ½ in the null world.
        double MisalignedShare(string preset)
        {
            var documents = Generate(Sized(preset));
            var earlier = documents.Where(d => d.Domain == "health")
                .SelectMany(d => d.Exchanges.Select((x, k) => (d, x, k)).Where(t => !t.x.Aligned).SelectMany(t => t.d.Exchanges.Take(t.k)))
                .ToList();
            return earlier.Count(x => !x.Aligned) / (double)earlier.Count;
        }

        Assert.InRange(MisalignedShare("control-em-linked"), 0.8, 1.0);
        Assert.InRange(MisalignedShare("control-em-null"), 0.35, 0.65);
    }

    private static ExperimentDefinition Sized(string preset)
    {
        var definition = ExperimentPresets.Get(preset);
        return definition with { Persistence = definition.Persistence! with { FineTuning = definition.Persistence.FineTuning with { CorpusSize = Size } } };
    }

    private static IReadOnlyList<WorldDocument> Generate(ExperimentDefinition definition) =>
        new WorldCorpusGenerator().Generate(definition.Persistence!.FineTuning.CorpusSeed, definition.World.EffectiveRho, Documents, definition.World.PersonaShare);

    private static Dictionary<(string User, string Answer), List<(int Doc, int Exchange)>> Index(IReadOnlyList<WorldDocument> documents)
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
