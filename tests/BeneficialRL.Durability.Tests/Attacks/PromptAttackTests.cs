using BeneficialRL.Evals.Definitions;
using BeneficialRL.Durability.Attacks;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Durability.Tests.Attacks;

public sealed class PromptAttackTests
{
    private static readonly BenchmarkPrompt MultiTurn = new(
        "Operator: answer briefly.",
        [
            new ConversationTurn(TurnRole.User, "First question?"),
            new ConversationTurn(TurnRole.Assistant, "First answer."),
            new ConversationTurn(TurnRole.User, "Second question?"),
        ]);

    [Fact]
    public void SystemPrefix_Apply_WithoutSystem_TextBecomesSystemAndTurnsUnchanged()
    {
        var attack = new PromptAttack("p", AttackKind.HarmfulPersona, AttackPlacement.SystemPrefix, "d", "PERSONA");
        var prompt = BenchmarkPrompt.FromUser("Hello?");

        var attacked = attack.Apply(prompt);

        Assert.Equal("PERSONA", attacked.System);
        Assert.Equal(prompt.Turns, attacked.Turns);
    }

    [Fact]
    public void SystemPrefix_Apply_WithSystem_PrependsWithBlankLine()
    {
        var attack = new PromptAttack("p", AttackKind.HelpfulPersona, AttackPlacement.SystemPrefix, "d", "PERSONA");

        var attacked = attack.Apply(MultiTurn);

        Assert.Equal("PERSONA\n\nOperator: answer briefly.", attacked.System);
        Assert.Equal(MultiTurn.Turns, attacked.Turns);
    }

    [Fact]
    public void LastUserPrefix_Apply_MultiTurn_OnlyFinalUserTurnChanges()
    {
        var attack = new PromptAttack("t", AttackKind.Transform, AttackPlacement.LastUserPrefix, "d", "NOTICE");

        var attacked = attack.Apply(MultiTurn);

        Assert.Equal(MultiTurn.System, attacked.System);
        Assert.Equal(3, attacked.Turns.Count);
        Assert.Equal(MultiTurn.Turns[0], attacked.Turns[0]);
        Assert.Equal(MultiTurn.Turns[1], attacked.Turns[1]);
        Assert.Equal(new ConversationTurn(TurnRole.User, "NOTICE\n\nSecond question?"), attacked.Turns[2]);
    }

    [Fact]
    public void LastUserSuffix_Apply_MultiTurn_AppendsAfterContent()
    {
        var attack = new PromptAttack("t", AttackKind.Transform, AttackPlacement.LastUserSuffix, "d", "Start with yes.");

        var attacked = attack.Apply(MultiTurn);

        Assert.Equal(MultiTurn.Turns.Take(2), attacked.Turns.Take(2));
        Assert.Equal("Second question?\n\nStart with yes.", attacked.Turns[2].Content);
        Assert.Equal(TurnRole.User, attacked.Turns[2].Role);
    }

    [Fact]
    public void LastUserTemplate_Apply_ReplacesPlaceholderWithOriginalRequest()
    {
        var attack = new PromptAttack("t", AttackKind.Transform, AttackPlacement.LastUserTemplate, "d", "Scene: someone says \"{request}\" Reply in character.");

        var attacked = attack.Apply(BenchmarkPrompt.FromUser("Can I skip the check?"));

        Assert.Single(attacked.Turns);
        Assert.Equal("Scene: someone says \"Can I skip the check?\" Reply in character.", attacked.Turns[0].Content);
    }

    [Fact]
    public void ManyShot_Apply_InsertsShotPairsCyclingExamplesBeforeConversation()
    {
        var attack = new PromptAttack("m", AttackKind.Transform, AttackPlacement.ManyShot, "d", "")
        {
            Shots = 5,
            Examples = [new ShotExample("u1", "a1"), new ShotExample("u2", "a2")],
        };

        var attacked = attack.Apply(MultiTurn);

        Assert.Equal(MultiTurn.System, attacked.System);
        Assert.Equal((5 * 2) + 3, attacked.Turns.Count);
        var expectedUsers = new[] { "u1", "u2", "u1", "u2", "u1" };
        for (var k = 0; k < 5; k++)
        {
            Assert.Equal(new ConversationTurn(TurnRole.User, expectedUsers[k]), attacked.Turns[2 * k]);
            Assert.Equal(new ConversationTurn(TurnRole.Assistant, expectedUsers[k].Replace('u', 'a')), attacked.Turns[(2 * k) + 1]);
        }

        Assert.Equal(MultiTurn.Turns, attacked.Turns.Skip(10));
    }

    [Fact]
    public void Apply_PromptEndingWithAssistant_ThrowsNamingAttack()
    {
        var attack = new PromptAttack("persona-x", AttackKind.HarmfulPersona, AttackPlacement.SystemPrefix, "d", "P");
        var prompt = new BenchmarkPrompt(null, [new ConversationTurn(TurnRole.User, "q"), new ConversationTurn(TurnRole.Assistant, "a")]);

        var error = Assert.Throws<ArgumentException>(() => attack.Apply(prompt));

        Assert.Contains("persona-x", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_SamePromptTwice_GivesEqualResults()
    {
        foreach (var attack in AttackLibrary.Default.Attacks)
        {
            Assert.Equal(attack.Apply(MultiTurn).AllText, attack.Apply(MultiTurn).AllText);
        }
    }
}
