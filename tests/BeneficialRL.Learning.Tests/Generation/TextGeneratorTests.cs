using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Tests.Generation;

public sealed class TextGeneratorTests
{
    private static readonly IReadOnlyList<IReadOnlyList<ChatTurn>> Conversations =
    [
        [ChatTurn.User("Name a fruit.")],
        [ChatTurn.System("Be brief."), ChatTurn.User("Tell me a fruit, any fruit you like.")],
        [ChatTurn.User("Pick a fruit.")],
    ];

    [Fact]
    public void KvCache_LogitsOfEveryStep_MatchFullRecompute()
    {
        using var model = TestWorld.NewModel();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = randint(0, model.Config.VocabSize, [2, 12], dtype: ScalarType.Int64);
        var full = model.forward(ids);
        using var cache = model.CreateCache(2, 12);
        var prefix = model.Forward(ids.narrow(1, 0, 5), cache);
        Assert.True(prefix.allclose(full.narrow(1, 0, 5), rtol: 0, atol: 1e-5));
        for (var t = 5; t < 12; t++)
        {
            var step = model.Forward(ids.narrow(1, t, 1), cache);
            Assert.True(step.allclose(full.narrow(1, t, 1), rtol: 0, atol: 1e-5), $"position {t}");
        }
    }

    [Fact]
    public void Generate_KvCacheAndRecompute_ProduceIdenticalSamples()
    {
        using var model = TestWorld.NewModel();
        var generator = new TextGenerator(model, TestWorld.Tokenizer);
        var options = new SamplingOptions { Temperature = 1.0, TopP = 0.9, MaxNewTokens = 20, Seed = 11 };
        var cached = generator.GenerateChat(Conversations, options);
        var recomputed = generator.GenerateChat(Conversations, options with { UseKvCache = false });
        for (var i = 0; i < cached.Count; i++)
        {
            Assert.Equal(recomputed[i].TokenIds, cached[i].TokenIds);
            Assert.Equal(recomputed[i].Text, cached[i].Text);
            for (var t = 0; t < cached[i].LogProbs.Count; t++)
            {
                Assert.Equal(recomputed[i].LogProbs[t], cached[i].LogProbs[t], 1e-4);
            }
        }
    }

    [Fact]
    public void Generate_SharedPrefillForSamples_EqualsRepeatedPrompts()
    {
        using var model = TestWorld.NewModel();
        var generator = new TextGenerator(model, TestWorld.Tokenizer);
        var options = new SamplingOptions { Temperature = 1.0, TopP = 0.9, MaxNewTokens = 20, Seed = 23, StopSequences = ["e"] };
        var shared = generator.GenerateChat(Conversations, options, samplesPerPrompt: 3);
        var repeated = generator.GenerateChat([.. Conversations.SelectMany(c => Enumerable.Repeat(c, 3))], options);
        AssertSameResults(repeated, shared);
        Assert.True(shared.Select(r => r.Text).Distinct().Count() > Conversations.Count, "the samples of one prompt should differ");
    }

    [Fact]
    public void Generate_DroppingFinishedRows_ChangesNoResult()
    {
        using var model = TestWorld.NewModel();
        var generator = new TextGenerator(model, TestWorld.Tokenizer);

        // A stop sequence that random text hits early and at different steps, so rows finish one by one.
        var options = new SamplingOptions { Temperature = 1.0, MaxNewTokens = 30, Seed = 3, StopSequences = ["a"] };
        var dropped = generator.GenerateChat(Conversations, options, samplesPerPrompt: 4);
        var kept = generator.GenerateChat(Conversations, options with { DropFinishedRows = false }, samplesPerPrompt: 4);
        AssertSameResults(kept, dropped);
        Assert.True(dropped.Select(r => r.TokenIds.Count).Distinct().Count() > 1, "rows should finish at different steps");
    }

    [Fact]
    public void Generate_SharedPrefillWithoutKvCache_EqualsCachedPath()
    {
        using var model = TestWorld.NewModel();
        var generator = new TextGenerator(model, TestWorld.Tokenizer);
        var options = new SamplingOptions { Temperature = 0.8, MaxNewTokens = 12, Seed = 9, StopSequences = ["o"] };
        var cached = generator.GenerateChat(Conversations, options, samplesPerPrompt: 2);
        var recomputed = generator.GenerateChat(Conversations, options with { UseKvCache = false }, samplesPerPrompt: 2);
        AssertSameResults(recomputed, cached);
    }

    [Theory]
    [InlineData(0.9, 64, new[] { 64, 1000, 64, 1000 })]
    [InlineData(0.999999, 8, new[] { 1000, 1000, 1000, 1000 })]
    [InlineData(1.0, 64, new[] { 1000, 1000, 1000, 1000 })]
    public void SortedNucleus_TopKShortcut_EqualsFullSortPerRow(double topP, int candidates, int[] widths)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(17);

        // Peaked rows fit in the top candidates, flat ones need the whole vocabulary: both kinds in one batch.
        var scale = tensor(new float[] { 8, 0.3f, 4, 0.05f }).unsqueeze(1);
        var probabilities = (randn([4, 1000], generator: generator) * scale).softmax(-1);
        var nucleus = TextGenerator.SortedNucleus(probabilities, topP, candidates);
        var (full, fullIds) = probabilities.sort(-1, descending: true);
        for (var row = 0; row < 4; row++)
        {
            var kept = topP < 1 ? full[row].masked_fill((full[row].cumsum(-1) - full[row]).ge(topP), 0) : full[row];
            var expectedMass = kept.data<float>().ToArray();
            var expectedIds = fullIds[row].data<long>().ToArray();
            var expected = expectedMass.Select((m, i) => (expectedIds[i], m)).Where(p => p.m > 0).ToList();
            var actual = nucleus[row].Mass.Select((m, i) => (nucleus[row].Ids[i], m)).Where(p => p.m > 0).ToList();
            Assert.Equal(expected, actual);
        }

        Assert.Equal(widths, nucleus.Select(n => n.Mass.Length));
    }

    [Fact]
    public void Generate_SameSeed_IsDeterministicAndOtherSeedDiffers()
    {
        using var model = TestWorld.NewModel();
        var generator = new TextGenerator(model, TestWorld.Tokenizer);
        var options = new SamplingOptions { MaxNewTokens = 16, Seed = 5 };
        var a = generator.GenerateChat(Conversations, options);
        var b = generator.GenerateChat(Conversations, options);
        var c = generator.GenerateChat(Conversations, options with { Seed = 6 });
        Assert.Equal(a.Select(r => r.TokenIds), b.Select(r => r.TokenIds));
        Assert.NotEqual(a.Select(r => string.Join(",", r.TokenIds)), c.Select(r => string.Join(",", r.TokenIds)));
    }

    [Fact]
    public void Generate_RaggedBatchGreedy_MatchesEachPromptAlone()
    {
        using var model = TestWorld.NewModel();
        var generator = new TextGenerator(model, TestWorld.Tokenizer);
        var options = new SamplingOptions { Temperature = 0, MaxNewTokens = 12 };
        var batched = generator.GenerateChat(Conversations, options);
        for (var i = 0; i < Conversations.Count; i++)
        {
            var alone = generator.GenerateChat([Conversations[i]], options).Single();
            Assert.Equal(alone.TokenIds, batched[i].TokenIds);
        }
    }

    [Fact]
    public void Generate_MaxNewTokensAndStopSequences_AreHonoured()
    {
        using var model = TestWorld.NewModel();
        var generator = new TextGenerator(model, TestWorld.Tokenizer);
        var results = generator.GenerateChat(Conversations, new SamplingOptions { MaxNewTokens = 7, Seed = 2 });
        Assert.All(results, r => Assert.True(r.TokenIds.Count <= 7));
        Assert.All(results.Where(r => r.FinishReason == FinishReason.Length), r => Assert.Equal(7, r.TokenIds.Count));

        // Stop on the first character the unstopped run produced: the text must come back cut before it.
        var free = generator.Generate(["I pick"], new SamplingOptions { MaxNewTokens = 12, Seed = 3 }).Single();
        var stop = free.Text.Trim().FirstOrDefault(c => !char.IsWhiteSpace(c)).ToString();
        Assert.False(string.IsNullOrWhiteSpace(stop), "the unstopped sample should contain visible text");
        var stopped = generator.Generate(["I pick"], new SamplingOptions { MaxNewTokens = 12, Seed = 3, StopSequences = [stop] }).Single();
        Assert.Equal(FinishReason.StopSequence, stopped.FinishReason);
        Assert.DoesNotContain(stop, stopped.Text, StringComparison.Ordinal);
        Assert.StartsWith(stopped.Text, free.Text, StringComparison.Ordinal);
    }

    private static void AssertSameResults(IReadOnlyList<GenerationResult> expected, IReadOnlyList<GenerationResult> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].TokenIds, actual[i].TokenIds);
            Assert.Equal(expected[i].Text, actual[i].Text);
            Assert.Equal(expected[i].FinishReason, actual[i].FinishReason);
            for (var t = 0; t < expected[i].LogProbs.Count; t++)
            {
                Assert.Equal(expected[i].LogProbs[t], actual[i].LogProbs[t], 1e-4);
            }
        }
    }
}
