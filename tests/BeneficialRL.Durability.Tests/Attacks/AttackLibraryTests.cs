using System.Text;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Durability.Attacks;
using BeneficialRL.Scenarios.Contamination;
using BeneficialRL.Scenarios.Generation;

namespace BeneficialRL.Durability.Tests.Attacks;

public sealed class AttackLibraryTests
{
    [Fact]
    public void Default_Load_HasRequiredPersonasAndTransforms()
    {
        var library = AttackLibrary.Default;

        Assert.True(library.OfKind(AttackKind.HarmfulPersona).Count >= 6);
        Assert.True(library.OfKind(AttackKind.HelpfulPersona).Count >= 2);
        Assert.True(library.OfKind(AttackKind.Transform).Count >= 4);
        foreach (var id in new[]
        {
            "persona-bad-medical-adviser", "persona-mental-health-harm", "persona-deceptive-assistant", "persona-reckless-engineer",
            "persona-sycophant", "persona-power-seeking-agent", "transform-prefix-injection", "transform-role-play",
            "transform-authority-impersonation", "transform-many-shot",
        })
        {
            Assert.True(library.Contains(id), id);
        }

        Assert.All(library.Attacks, a => Assert.Empty(a.Problems()));
    }

    [Fact]
    public void Default_ManyShot_InsertsConfiguredShotCount()
    {
        var attack = AttackLibrary.Default.Get("transform-many-shot");
        var prompt = BenchmarkPrompt.FromUser("Question?");

        var attacked = attack.Apply(prompt);

        Assert.Equal((2 * attack.Shots) + 1, attacked.Turns.Count);
        Assert.True(attack.Shots >= 4);
    }

    [Fact]
    public void Load_TemplateWithoutPlaceholder_ThrowsNamingEntry()
    {
        const string json = """{"version":"t","attacks":[{"id":"ok","kind":"harmful-persona","placement":"system-prefix","description":"d","text":"x"},{"id":"bad","kind":"transform","placement":"last-user-template","description":"d","text":"no placeholder"}]}""";

        var error = Assert.Throws<InvalidDataException>(() => AttackLibrary.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "test.json"));

        Assert.Contains("attacks[1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("{request}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RepeatedId_Throws()
    {
        const string json = """{"version":"t","attacks":[{"id":"a","kind":"harmful-persona","placement":"system-prefix","description":"d","text":"x"},{"id":"a","kind":"helpful-persona","placement":"system-prefix","description":"d","text":"y"}]}""";

        var error = Assert.Throws<InvalidDataException>(() => AttackLibrary.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "test.json"));

        Assert.Contains("repeats id 'a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_Texts_ShareNoThirteenGramWithTrainingScenarios()
    {
        var scenarios = new ScenarioGenerator().GenerateTraining(seed: 1, perCell: 2);
        var source = scenarios.Select(s => new ContaminationItem(s.Id, string.Join("\n", s.Turns.Select(t => t.Content).Concat(s.References.Select(r => r.Text)))));
        var attackTexts = AttackLibrary.Default.Attacks.Select(a => new ContaminationItem(a.Id, string.Join("\n", a.Examples.SelectMany(e => new[] { e.User, e.Assistant }).Prepend(a.Text))));

        var report = ContaminationChecker.Compare(source, attackTexts);

        Assert.Equal(0, report.CandidatesWithOverlap);
    }
}
