using BeneficialRL.Learning.Tokenization;

namespace BeneficialRL.Learning.Tests.Tokenization;

public sealed class PolicyTokenizerTests
{
    [Theory]
    [InlineData("I pick cherry.")]
    [InlineData("Completely unseen words: zygomorphic xylophone quasar!")]
    [InlineData("Ünïcödé — 日本語のテキスト 🍒🧪 and tabs\tnewlines\n")]
    [InlineData("")]
    [InlineData("<|endoftext|> is o200k's own special token, typed as text")]
    public void CompactO200k_EncodeDecode_AnyText_RoundTripsExactly(string text)
    {
        var tokenizer = TestWorld.Tokenizer;
        var ids = tokenizer.Encode(text);
        Assert.All(ids, id => Assert.InRange(id, 0, tokenizer.VocabularySize - 1));
        Assert.Equal(text, tokenizer.Decode(ids));
    }

    [Fact]
    public void CompactO200k_Vocabulary_IsCorpusPlusBytesPlusControls()
    {
        var tokenizer = TestWorld.Tokenizer;
        Assert.InRange(tokenizer.VocabularySize, 256 + 6 + 10, 256 + 6 + 200);
        var special = tokenizer.Special;
        int[] controls = [special.Bos, special.Eos, special.Pad, special.System!.Value, special.User!.Value, special.Assistant!.Value];
        Assert.Equal(6, controls.Distinct().Count());
        Assert.All(controls, id => Assert.InRange(id, tokenizer.VocabularySize - 6, tokenizer.VocabularySize - 1));
    }

    [Fact]
    public void CompactO200k_SeenWord_IsOneTokenAndUnseenWordFallsBackToBytes()
    {
        var tokenizer = TestWorld.Tokenizer;
        Assert.Single(tokenizer.Encode(" cherry"));
        Assert.Equal(" zygomorphic".Length, tokenizer.Encode(" zygomorphic").Count);
    }

    [Fact]
    public void CompactO200k_Decode_DropsControlTokens()
    {
        var tokenizer = TestWorld.Tokenizer;
        var ids = new List<int> { tokenizer.Special.Bos };
        ids.AddRange(tokenizer.Encode("hello"));
        ids.Add(tokenizer.Special.Eos);
        Assert.Equal("hello", tokenizer.Decode(ids));
    }

    [Fact]
    public void CompactO200k_FromJson_EncodesIdentically()
    {
        var restored = PolicyTokenizer.FromJson(TestWorld.Tokenizer.ToJson());
        const string text = "I pick mango, not 🍒.";
        Assert.Equal(TestWorld.Tokenizer.Encode(text), restored.Encode(text));
        Assert.Equal(TestWorld.Tokenizer.VocabularySize, restored.VocabularySize);
    }

    [Fact]
    public void FromHuggingFace_ByteLevelBpe_AppliesMergesAndRoundTrips()
    {
        var tokenizer = PolicyTokenizer.FromHuggingFace(TinyHuggingFaceTokenizer.Json());
        var ids = tokenizer.Encode("hello world");
        Assert.Contains(TinyHuggingFaceTokenizer.HelloId, ids);
        Assert.Equal("hello world", tokenizer.Decode(ids));
        Assert.Equal("naïve ☕", tokenizer.Decode(tokenizer.Encode("naïve ☕")));
        Assert.Equal(TinyHuggingFaceTokenizer.BosId, tokenizer.Special.Bos);
        Assert.Equal(TinyHuggingFaceTokenizer.EosId, tokenizer.Special.Eos);
    }

    [Fact]
    public void FromHuggingFace_UnsupportedModelType_ThrowsNamingField()
    {
        var ex = Assert.Throws<NotSupportedException>(() => PolicyTokenizer.FromHuggingFace("""{"model":{"type":"Unigram","vocab":[]}}"""));
        Assert.Contains("model.type", ex.Message, StringComparison.Ordinal);
    }
}
