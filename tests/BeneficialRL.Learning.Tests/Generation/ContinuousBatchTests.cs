using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Generation;

namespace BeneficialRL.Learning.Tests.Generation;

public sealed class ContinuousBatchTests
{
    private static readonly ChatTemplate Template = new(TestWorld.Tokenizer);

    private static IReadOnlyList<int> Prompt(string text) => Template.RenderPlain(text);

    /// <summary>A row decoded alone, from join to finish.</summary>
    private static GenerationResult Alone(IReadOnlyList<int> prompt, SamplingOptions options)
    {
        using var model = TestWorld.NewModel();
        using var batch = new ContinuousBatch(model, TestWorld.Tokenizer);
        var row = batch.Join(prompt, options);
        while (row.Result is null) batch.Step();
        return row.Result;
    }

    private static void AssertSame(GenerationResult expected, GenerationResult actual)
    {
        Assert.Equal(expected.TokenIds, actual.TokenIds);
        Assert.Equal(expected.Text, actual.Text);
        Assert.Equal(expected.FinishReason, actual.FinishReason);
        for (var t = 0; t < expected.LogProbs.Count; t++) Assert.Equal(expected.LogProbs[t], actual.LogProbs[t], 1e-4);
    }

    [Fact]
    public void Step_GreedyRowAlone_EqualsTheStaticGenerator()
    {
        var prompts = new[] { Prompt("Name a fruit."), Prompt("The quick brown fox jumps over the lazy dog.") };
        using var model = TestWorld.NewModel();
        var options = new SamplingOptions { Temperature = 0, MaxNewTokens = 24 };
        var expected = new TextGenerator(model, TestWorld.Tokenizer).GenerateFromTokens(prompts, options);

        for (var i = 0; i < prompts.Length; i++) AssertSame(expected[i], Alone(prompts[i], options));
    }

    [Fact]
    public void Step_RowsJoiningAndLeavingAtDifferentSteps_EachGetsWhatItGetsAlone()
    {
        // Different prompt lengths, budgets, temperatures, nucleus sizes, stops and seeds; they join at steps 0, 0, 3,
        // 7 and 12, so some join while others decode and some finish while others continue.
        var rows = new (IReadOnlyList<int> Prompt, SamplingOptions Options, int JoinAt)[]
        {
            (Prompt("Name a fruit."), new SamplingOptions { Temperature = 0, MaxNewTokens = 20 }, 0),
            (Prompt("Tell me a fruit, any fruit you like, and say why."), new SamplingOptions { Temperature = 1, TopP = 0.9, MaxNewTokens = 6, Seed = 5 }, 0),
            (Prompt("Pick a fruit."), new SamplingOptions { Temperature = 0.7, MaxNewTokens = 30, Seed = 9, StopSequences = ["e"] }, 3),
            (Prompt("What is two plus two? Four."), new SamplingOptions { Temperature = 1, MaxNewTokens = 12, Seed = 5 }, 7),
            (Prompt("I pick"), new SamplingOptions { Temperature = 0, MaxNewTokens = 4 }, 12),
        };
        var alone = rows.Select(r => Alone(r.Prompt, r.Options)).ToArray();

        using var model = TestWorld.NewModel();
        using var batch = new ContinuousBatch(model, TestWorld.Tokenizer);
        var joined = new DecodeRow?[rows.Length];
        for (var step = 0; joined.Any(r => r is null) || batch.Count > 0; step++)
        {
            for (var i = 0; i < rows.Length; i++)
            {
                if (rows[i].JoinAt == step) joined[i] = batch.Join(rows[i].Prompt, rows[i].Options);
            }

            batch.Step();
            Assert.True(step < 100, "the batch never drained");
        }

        for (var i = 0; i < rows.Length; i++) AssertSame(alone[i], joined[i]!.Result!);
    }

    [Fact]
    public void Step_ShortRowsJoiningBesideALongOne_NeverOutgrowTheContextWindow()
    {
        // 96 positions: a long prompt near the limit, and short prompts whose budgets need most of the window. Side by
        // side, right-aligned, they need more than 96 columns; the cache sheds the long row's columns after it ends
        // (one finished row of five is too few to compact for, so the full cache forces it).
        var words = string.Join(' ', Enumerable.Repeat("apple banana cherry", 30));
        var longPrompt = TestWorld.Tokenizer.Encode(words).Take(80).ToList();
        var longOptions = new SamplingOptions { Temperature = 0, MaxNewTokens = 10 };
        var shortPrompt = Prompt("Name a fruit.");
        var shortOptions = Enumerable.Range(0, 4).Select(seed => new SamplingOptions { Temperature = 1, MaxNewTokens = 96 - shortPrompt.Count, Seed = seed, StopAtEndOfTurn = false }).ToArray();

        using var model = TestWorld.NewModel();
        using var batch = new ContinuousBatch(model, TestWorld.Tokenizer);
        var longRow = batch.Join(longPrompt, longOptions);
        for (var i = 0; i < 5; i++) batch.Step();
        var shortRows = shortOptions.Select(o => batch.Join(shortPrompt, o)).ToArray();
        var widths = new List<long>();
        while (batch.Count > 0)
        {
            batch.Step();
            widths.Add(batch.Width);
        }

        Assert.InRange(widths.Max(), 90, 96);
        Assert.Contains(widths, w => w < 40);
        AssertSame(Alone(longPrompt, longOptions), longRow.Result!);
        for (var i = 0; i < shortRows.Length; i++)
        {
            AssertSame(Alone(shortPrompt, shortOptions[i]), shortRows[i].Result!);
            Assert.Equal(96 - shortPrompt.Count, shortRows[i].Result!.TokenIds.Count);
        }
    }

    [Fact]
    public void Leave_RowStopsWithoutAResult_TheOthersGoOn()
    {
        var options = new SamplingOptions { Temperature = 0, MaxNewTokens = 16, StopAtEndOfTurn = false };
        using var model = TestWorld.NewModel();
        using var batch = new ContinuousBatch(model, TestWorld.Tokenizer);
        var leaving = batch.Join(Prompt("Pick a fruit."), options);
        var staying = batch.Join(Prompt("Name a fruit."), options);
        var neverStarted = batch.Join(Prompt("Choose a fruit."), options);
        batch.Leave(neverStarted);
        for (var i = 0; i < 4; i++) batch.Step();
        batch.Leave(leaving);
        while (batch.Count > 0) batch.Step();

        Assert.Null(leaving.Result);
        Assert.Equal(4, leaving.Generated.Count);
        Assert.Empty(neverStarted.Generated);
        AssertSame(Alone(Prompt("Name a fruit."), options), staying.Result!);
    }

    [Fact]
    public void Join_PromptAndBudgetPastTheWindow_Throws()
    {
        using var model = TestWorld.NewModel();
        using var batch = new ContinuousBatch(model, TestWorld.Tokenizer);
        Assert.Throws<ArgumentException>(() => batch.Join([.. Enumerable.Repeat(1, 90)], new SamplingOptions { MaxNewTokens = 10 }));
        Assert.Throws<ArgumentException>(() => batch.Join([], new SamplingOptions()));
    }
}
