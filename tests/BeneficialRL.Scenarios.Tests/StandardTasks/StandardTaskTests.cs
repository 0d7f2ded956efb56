using BeneficialRL.Scenarios.Grading;
using BeneficialRL.Scenarios.StandardTasks;

namespace BeneficialRL.Scenarios.Tests.StandardTasks;

public sealed class StandardTaskTests
{
    private static readonly StandardTaskGenerator Generator = new();

    [Fact]
    public void StandardTaskGenerator_SameSeed_IsDeterministicAndCoversThreeFamilies()
    {
        var first = Generator.Generate(seed: 5, perFamily: 50).ToList();
        var second = new StandardTaskGenerator().Generate(seed: 5, perFamily: 50).ToList();
        Assert.Equal(first.Select(t => t.Prompt), second.Select(t => t.Prompt));
        Assert.Equal(3, first.Select(t => t.Family).Distinct().Count());
        Assert.Equal(150, first.Select(t => t.Id).Distinct().Count());
        Assert.True(first.Select(t => t.Prompt).Distinct().Count() > 140);
    }

    [Fact]
    public void StandardTaskGrader_Arithmetic_RewardsOnlyTheCorrectAnswer()
    {
        foreach (var task in Enumerable.Range(0, 40).Select(i => Generator.Arithmetic(3, i)))
        {
            var expected = long.Parse(task.ExpectedAnswer!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(expected >= 0, task.Prompt);
            Assert.Equal(1, StandardTaskGrader.Grade(task, $"Working it out step by step.\nAnswer: {expected}").Score, 6);
            Assert.True(StandardTaskGrader.Grade(task, $"Answer: {expected + 1}").Score < 0.25);
            Assert.True(StandardTaskGrader.Grade(task, $"I think it is {expected}.").Score is > 0.7 and < 1);
        }
    }

    [Fact]
    public void StandardTaskGrader_Arithmetic_KnownProblem_HasTheRightAnswer()
    {
        // Every template's formula is checked by recomputing it from the numbers in the prompt.
        foreach (var task in Enumerable.Range(0, 60).Select(i => Generator.Arithmetic(11, i)))
        {
            var numbers = System.Text.RegularExpressions.Regex.Matches(task.Prompt, @"\d+").Select(m => long.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            var expected = long.Parse(task.ExpectedAnswer!, System.Globalization.CultureInfo.InvariantCulture);
            var candidates = new[]
            {
                (numbers[0] * numbers[1]) - numbers[2 % numbers.Count],
                (numbers[0] * numbers[1]) + numbers[2 % numbers.Count],
                numbers[0] - (numbers[1] * numbers[2 % numbers.Count]),
                numbers[0] / numbers[1],
            };
            Assert.Contains(expected, candidates);
        }
    }

    [Fact]
    public void StandardTaskGrader_Format_ChecksEachConstraint()
    {
        foreach (var task in Enumerable.Range(0, 30).Select(i => Generator.Format(2, i)))
        {
            var count = task.Constraints.Single(c => c.Kind == FormatConstraintKind.BulletCount).Number!.Value;
            var ending = task.Constraints.FirstOrDefault(c => c.Kind == FormatConstraintKind.EndsWith)?.Text;
            var good = string.Join("\n", Enumerable.Range(1, count).Select(i => $"- item number {i}")) + (ending is null ? "" : "\n" + ending);
            var result = StandardTaskGrader.Grade(task, good);
            Assert.True(result.Score == 1, $"{task.Prompt}\n{good}\n{string.Join("; ", result.Criteria.Select(c => c.Id + ":" + c.Explanation))}");
            var tooFew = string.Join("\n", Enumerable.Range(1, count - 1).Select(i => $"- Item {i}"));
            Assert.True(StandardTaskGrader.Grade(task, tooFew).Score < 1);
            Assert.False(StandardTaskGrader.Grade(task, tooFew).Criteria.Single(c => c.Id == "bullet-count").Passed);
        }
    }

    [Fact]
    public void StandardTaskGrader_Extraction_NeedsTheExactValueAndAShortAnswer()
    {
        foreach (var task in Enumerable.Range(0, 30).Select(i => Generator.Extraction(4, i)))
        {
            var passage = task.Prompt[task.Prompt.IndexOf("Passage:", StringComparison.Ordinal)..];
            Assert.Contains(task.ExpectedAnswer!, passage, StringComparison.Ordinal);
            Assert.Equal(1, StandardTaskGrader.Grade(task, task.ExpectedAnswer!).Score, 6);
            Assert.True(StandardTaskGrader.Grade(task, passage).Score < 0.7, "pasting the passage must not earn full credit");
            Assert.Equal(0, StandardTaskGrader.Grade(task, "I don't know.").Score);
        }
    }

    [Fact]
    public async Task StandardTaskGrader_AsIGrader_GradesTheResponse()
    {
        var task = Generator.Extraction(4, 0);
        var result = await new StandardTaskGrader(task).GradeAsync(new GradingRequest(task.ExpectedAnswer!), TestContext.Current.CancellationToken);
        Assert.Equal(1, result.Score, 6);
    }
}
