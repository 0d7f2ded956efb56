using BeneficialRL.Evals.Definitions;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Tokenization;

namespace BeneficialRL.Perf.Inference;

/// <summary>
/// The model and prompts both inference measurements serve: a fresh tiny policy whose compact o200k vocabulary covers the
/// built-in suite's text, lm-eval-like log-likelihood prompts (BOS + 55 tokens of that text) and short chat messages.
/// </summary>
internal sealed class ServingWorkload
{
    private ServingWorkload(PolicyTokenizer tokenizer, TransformerConfig config, IReadOnlyList<IReadOnlyList<int>> logLikelihoodPrompts, IReadOnlyList<string> chatMessages)
    {
        (Tokenizer, Config, LogLikelihoodPrompts, ChatMessages) = (tokenizer, config, logLikelihoodPrompts, chatMessages);
    }

    public PolicyTokenizer Tokenizer { get; }

    public TransformerConfig Config { get; }

    /// <summary>Token-id prompts of 56 tokens: a 48-token context plus an 8-token option, as lm-eval scores them.</summary>
    public IReadOnlyList<IReadOnlyList<int>> LogLikelihoodPrompts { get; }

    /// <summary>User messages of up to 160 characters.</summary>
    public IReadOnlyList<string> ChatMessages { get; }

    public static ServingWorkload Create()
    {
        var suite = BenchmarkSuites.BuiltIn();
        var texts = suite.Benchmarks.SelectMany(b => b.Items).Select(i => System.Text.Json.JsonSerializer.Serialize(i)).ToList();
        var tokenizer = PolicyTokenizer.BuildCompactO200k(texts);
        var loglik = texts.Take(512).Select(t => tokenizer.Encode(t)).Where(ids => ids.Count >= 56)
            .Select(ids => (IReadOnlyList<int>)[tokenizer.Special.Bos, .. ids.Take(55)]).ToList();
        var chat = texts.Skip(512).Take(256).Select(t => string.Concat(t.Take(160))).ToList();
        return new ServingWorkload(tokenizer, TransformerConfig.Tiny(tokenizer.VocabularySize), loglik, chat);
    }
}
