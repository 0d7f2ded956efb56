using BeneficialRL.Scenarios.Grading.OpenAi;

namespace BeneficialRL.Scenarios.Tests.Grading.OpenAi;

/// <summary>Each metric against values worked out by hand from the definitions of the libraries it follows.</summary>
public sealed class TextSimilarityMetricsTests
{
    private const string Hypothesis = "the cat sat on the mat";
    private const string Reference = "the cat is on the mat";

    [Theory]
    [InlineData("kitten", "sitting", 8.0 / 13)] // LCS "ittn" = 4: 2·4 / (6 + 7), rapidfuzz's 61.54
    [InlineData("this is a test", "this is a test!", 28.0 / 29)] // rapidfuzz's documented 96.55
    [InlineData("abc", "abc", 1.0)]
    [InlineData("abc", "xyz", 0.0)]
    [InlineData("", "", 1.0)]
    public void FuzzyMatch_KnownPairs_EqualsIndelRatio(string a, string b, double expected) =>
        Assert.Equal(expected, TextSimilarityMetrics.FuzzyMatch(a, b), 12);

    [Fact]
    public void FuzzyMatch_CountsCodePointsNotUtf16Units() =>
        Assert.Equal(2.0 * 1 / (2 + 1), TextSimilarityMetrics.FuzzyMatch("a😀", "a"), 12);

    [Fact]
    public void Bleu_PartialMatch_UsesExpSmoothingForTheEmptyOrder()
    {
        // precisions 5/6, 3/5, 1/4 and, with no 4-gram match, 1 / (2·3); equal lengths, so no brevity penalty.
        var expected = Math.Pow(5.0 / 6 * 3 / 5 * 1 / 4 * 1 / 6, 0.25);
        Assert.Equal(expected, TextSimilarityMetrics.Bleu(Hypothesis, Reference), 12);
        Assert.Equal(0.379918, TextSimilarityMetrics.Bleu(Hypothesis, Reference), 5);
    }

    [Fact]
    public void Bleu_ShortHypothesis_UsesEffectiveOrderAndBrevityPenalty() =>
        // Orders 1 and 2 match fully, orders 3 and 4 do not exist: effective order 2; BP = exp(1 − 6/2).
        Assert.Equal(Math.Exp(-2), TextSimilarityMetrics.Bleu("the cat", "the cat sat on the mat"), 12);

    [Fact]
    public void Bleu_NoMatchingNGramAtAll_IsZeroDespiteSmoothing() =>
        // Smoothing alone would give (1/4 · 1/4)^(1/2) = 0.25; sacrebleu stops early with 0.
        Assert.Equal(0.0, TextSimilarityMetrics.Bleu("a b", "c d"));

    [Fact]
    public void Bleu_OnlyUnigramsMatch_SmoothsEveryHigherOrder()
    {
        // hypothesis "b a" vs reference "a b": unigrams 2/2, the bigram 0/1 → 1 / (2·1); effective order 2.
        Assert.Equal(Math.Sqrt(0.5), TextSimilarityMetrics.Bleu("b a", "a b"), 12);
    }

    [Fact]
    public void Bleu_IdenticalAndEmpty_AreOneAndZero()
    {
        Assert.Equal(1.0, TextSimilarityMetrics.Bleu(Reference, Reference), 12);
        Assert.Equal(0.0, TextSimilarityMetrics.Bleu("", Reference));
    }

    [Fact]
    public void Tokenize13a_SplitsPunctuationButKeepsDecimalsAndHyphenatedWords()
    {
        Assert.Equal(["Hello", ",", "world", "!"], TextSimilarityMetrics.Tokenize13a("Hello, world!"));
        Assert.Equal(["It", "costs", "3.5", "dollars", "."], TextSimilarityMetrics.Tokenize13a("It costs 3.5 dollars."));
        Assert.Equal(["a", "well-known", "(", "x", ")"], TextSimilarityMetrics.Tokenize13a("a well-known (x)"));
        Assert.Equal(["pages", "1", "-", "2"], TextSimilarityMetrics.Tokenize13a("pages 1-2"));
        Assert.Equal(["don't"], TextSimilarityMetrics.Tokenize13a("don't"));
    }

    [Fact]
    public void Gleu_PartialMatch_IsMatchesOverTheLargerCount() =>
        // 1- to 4-gram matches 5 + 3 + 1 + 0 = 9 of 18 n-grams on each side.
        Assert.Equal(0.5, TextSimilarityMetrics.Gleu(Hypothesis, Reference), 12);

    [Fact]
    public void Gleu_LongerReference_DividesByTheReferenceCount() =>
        // hypothesis "the cat": 3 n-grams, all matching; reference "the cat sat": 3 + 2 + 1 = 6.
        Assert.Equal(0.5, TextSimilarityMetrics.Gleu("the cat", "the cat sat"), 12);

    [Theory]
    [InlineData(1, 5.0 / 6)]
    [InlineData(2, 3.0 / 5)]
    [InlineData(3, 1.0 / 4)]
    [InlineData(4, 0.0)]
    public void RougeN_PartialMatch_IsTheFMeasure(int n, double expected) =>
        Assert.Equal(expected, TextSimilarityMetrics.RougeN(Hypothesis, Reference, n), 12);

    [Fact]
    public void RougeN_DifferentLengths_CombinesPrecisionAndRecall()
    {
        // prediction "the cat" vs target "the cat sat on the mat": P = 2/2, R = 2/6, F = 2·1·(1/3) / (4/3) = 0.5.
        Assert.Equal(0.5, TextSimilarityMetrics.RougeN("the cat", "the cat sat on the mat", 1), 12);
    }

    [Fact]
    public void RougeL_IsTheLcsFMeasure()
    {
        Assert.Equal(5.0 / 6, TextSimilarityMetrics.RougeL(Hypothesis, Reference), 12);
        // LCS of "a b c d" and "a c b d" is 3 ("a b d" or "a c d").
        Assert.Equal(0.75, TextSimilarityMetrics.RougeL("a b c d", "a c b d"), 12);
        Assert.Equal(0.0, TextSimilarityMetrics.RougeL("", "a"));
    }

    [Fact]
    public void LongTexts_PastTheLcsBudget_AreRefusedNotComputed()
    {
        var long1 = new string('a', 5000);
        var long2 = new string('b', 5000);
        Assert.Throws<ArgumentException>(() => TextSimilarityMetrics.FuzzyMatch(long1, long2));
        var words = string.Join(' ', Enumerable.Repeat("w", 5000));
        Assert.Throws<ArgumentException>(() => TextSimilarityMetrics.RougeL(words, words));
        Assert.Equal(1.0, TextSimilarityMetrics.RougeN(words, words, 2), 12);
    }

    [Fact]
    public void TokenizeRouge_LowercasesAndDropsPunctuation() =>
        Assert.Equal(["hello", "world", "3", "5"], TextSimilarityMetrics.TokenizeRouge("Hello, World! 3.5"));
}
