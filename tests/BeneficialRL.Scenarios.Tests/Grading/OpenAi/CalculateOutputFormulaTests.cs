using BeneficialRL.Scenarios.Grading.OpenAi;

namespace BeneficialRL.Scenarios.Tests.Grading.OpenAi;

public sealed class CalculateOutputFormulaTests
{
    private static readonly HashSet<string> Names = ["a", "b", "similarity_2"];
    private static readonly Dictionary<string, double> Scores = new() { ["a"] = 1, ["b"] = 0.25, ["similarity_2"] = 0.5 };

    [Theory]
    [InlineData("0.5 * a + 0.5 * b", 0.625)]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("2 ^ 3 ^ 2", 512)]
    [InlineData("-2 ^ 2", -4)]
    [InlineData("a - b - similarity_2", 0.25)]
    [InlineData("8 / 4 / 2", 1)]
    [InlineData("min(a, b, 0.3)", 0.25)]
    [InlineData("max(b)", 0.25)]
    [InlineData("abs(b - a) + floor(2.7) + ceil(0.2)", 3.75)]
    [InlineData("sqrt(b) * exp(0) + log(1)", 0.5)]
    [InlineData("1e-1 * 10 + .5", 1.5)]
    [InlineData("  similarity_2  ", 0.5)]
    public void Evaluate_ValidFormula_GivesItsValue(string text, double expected)
    {
        var (formula, error) = CalculateOutputFormula.Parse(text, Names);
        Assert.Null(error);
        Assert.Equal(expected, formula!.Evaluate(Scores), 12);
    }

    [Fact]
    public void Parse_RecordsTheGradersItReads()
    {
        var (formula, _) = CalculateOutputFormula.Parse("a * 2", Names);
        Assert.Equal(["a"], formula!.Variables);
    }

    [Theory]
    [InlineData("a +", "ends")]
    [InlineData("c * 2", "'c' is not the name of a grader")]
    [InlineData("__import__('os')", "unknown function '__import__'")]
    [InlineData("a.b", "unexpected '.'")]
    [InlineData("pow(a, 2)", "unknown function 'pow'")]
    [InlineData("abs(a, b)", "takes one argument")]
    [InlineData("min()", "one or more arguments")]
    [InlineData("(a", "expected ')'")]
    [InlineData("a b", "unexpected 'b'")]
    [InlineData("1..2", "'1..2' is not a number")]
    [InlineData("", "ends")]
    public void Parse_InvalidFormula_SaysWhere(string text, string expected)
    {
        var (formula, error) = CalculateOutputFormula.Parse(text, Names);
        Assert.Null(formula);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.StartsWith("At character ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeepNesting_IsRefusedNotAStackOverflow()
    {
        var (formula, error) = CalculateOutputFormula.Parse(new string('(', 5000) + "a" + new string(')', 5000), Names);
        Assert.Null(formula);
        Assert.Contains("longer than 4096", error, StringComparison.Ordinal);
        (formula, error) = CalculateOutputFormula.Parse(new string('(', 100) + "a" + new string(')', 100), Names);
        Assert.Null(formula);
        Assert.Contains("nests deeper than 64", error, StringComparison.Ordinal);
        (formula, error) = CalculateOutputFormula.Parse(string.Concat(Enumerable.Repeat("-", 100)) + "a", Names);
        Assert.Null(formula);
        Assert.Contains("nests deeper", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_DivisionByZero_IsNotFinite()
    {
        var (formula, _) = CalculateOutputFormula.Parse("a / (b - b)", Names);
        Assert.False(double.IsFinite(formula!.Evaluate(Scores)));
    }
}
