using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace BeneficialRL.Learning.Tokenization;

/// <summary>
/// A byte-level BPE tokenizer read from a Hugging Face <c>tokenizer.json</c> (GPT-2 / Llama 3
/// style) and run by Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>.
/// </summary>
internal sealed class HuggingFaceBpeBackend : ITokenizerBackend
{
    // GPT-2's pre-tokenisation regex, used by a ByteLevel pre-tokenizer with use_regex = true.
    private const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";
    private readonly BpeTokenizer _tokenizer;
    private readonly string _json;
    private readonly int? _configBos;
    private readonly int? _configEos;

    public HuggingFaceBpeBackend(string tokenizerJson, int? bosId, int? eosId)
    {
        _json = tokenizerJson;
        _configBos = bosId;
        _configEos = eosId;
        using var document = JsonDocument.Parse(tokenizerJson);
        var root = document.RootElement;
        if (!root.TryGetProperty("model", out var model))
        {
            throw new InvalidDataException("tokenizer.json has no 'model' object.");
        }

        var type = model.TryGetProperty("type", out var typeElement) ? typeElement.GetString() : "BPE";
        if (type != "BPE")
        {
            throw new NotSupportedException($"tokenizer.json model.type '{type}' is not supported; only byte-level BPE is.");
        }

        if (!model.TryGetProperty("vocab", out var vocabElement) || vocabElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("tokenizer.json model.vocab must be an object of token → id.");
        }

        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocabElement.EnumerateObject())
        {
            vocabulary[entry.Name] = entry.Value.GetInt32();
        }

        var merges = new List<string>();
        if (model.TryGetProperty("merges", out var mergesElement))
        {
            foreach (var merge in mergesElement.EnumerateArray())
            {
                merges.Add(merge.ValueKind == JsonValueKind.Array
                    ? $"{merge[0].GetString()} {merge[1].GetString()}"
                    : merge.GetString() ?? throw new InvalidDataException("tokenizer.json model.merges holds a null entry."));
            }
        }

        var specialTokens = new Dictionary<string, int>(StringComparer.Ordinal);
        if (root.TryGetProperty("added_tokens", out var added))
        {
            foreach (var token in added.EnumerateArray())
            {
                var content = token.GetProperty("content").GetString()!;
                var id = token.GetProperty("id").GetInt32();
                specialTokens[content] = id;
                vocabulary[content] = id;
            }
        }

        var pattern = ReadPreTokenizerPattern(root);
        if (!IsByteLevel(root))
        {
            throw new NotSupportedException("tokenizer.json has no ByteLevel pre-tokenizer or decoder; only byte-level BPE is supported.");
        }

        var options = new BpeOptions(vocabulary)
        {
            Merges = merges,
            ByteLevel = true,
            SpecialTokens = specialTokens.Count > 0 ? specialTokens : null,
            PreTokenizer = new RegexPreTokenizer(new Regex(pattern, RegexOptions.Compiled), specialTokens.Count > 0 ? specialTokens : null),
        };
        _tokenizer = BpeTokenizer.Create(options);
        VocabularySize = vocabulary.Values.Max() + 1;

        var bos = bosId ?? FindFirst(specialTokens, "<|begin_of_text|>", "<s>", "<|endoftext|>")
            ?? throw new InvalidDataException("No beginning-of-sequence token: config.json has no bos_token_id and tokenizer.json no <s>/<|begin_of_text|>.");
        var eos = eosId ?? FindFirst(specialTokens, "<|eot_id|>", "<|end_of_text|>", "</s>", "<|endoftext|>")
            ?? throw new InvalidDataException("No end-of-sequence token: config.json has no eos_token_id and tokenizer.json no </s>/<|end_of_text|>.");
        var pad = FindFirst(specialTokens, "<pad>", "<|pad|>", "<|finetune_right_pad_id|>") ?? eos;
        Special = new SpecialTokenIds(bos, eos, pad, null, null, null);
    }

    public int VocabularySize { get; }

    public SpecialTokenIds Special { get; }

    public List<int> Encode(string text) => [.. _tokenizer.EncodeToIds(text)];

    public string Decode(IEnumerable<int> ids) =>
        _tokenizer.Decode(ids.Where(id => id != Special.Bos && id != Special.Eos && id != Special.Pad));

    public TokenizerDescriptor Describe() => new()
    {
        Kind = PolicyTokenizer.HuggingFaceKind,
        TokenizerJson = _json,
        BosId = _configBos,
        EosId = _configEos,
    };

    private static int? FindFirst(Dictionary<string, int> tokens, params string[] names)
    {
        foreach (var name in names)
        {
            if (tokens.TryGetValue(name, out var id))
            {
                return id;
            }
        }

        return null;
    }

    private static bool IsByteLevel(JsonElement root)
    {
        return Mentions(root, "pre_tokenizer", "ByteLevel") || Mentions(root, "decoder", "ByteLevel");

        static bool Mentions(JsonElement root, string property, string type) =>
            root.TryGetProperty(property, out var element) && element.ValueKind == JsonValueKind.Object && element.GetRawText().Contains($"\"{type}\"", StringComparison.Ordinal);
    }

    private static string ReadPreTokenizerPattern(JsonElement root)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind != JsonValueKind.Object)
        {
            return Gpt2Pattern;
        }

        var steps = pre.TryGetProperty("pretokenizers", out var list) ? list.EnumerateArray().ToList() : [pre];
        foreach (var step in steps)
        {
            var type = step.GetProperty("type").GetString();
            if (type == "Split" && step.TryGetProperty("pattern", out var pattern))
            {
                if (pattern.TryGetProperty("Regex", out var regex))
                {
                    return regex.GetString()!;
                }

                if (pattern.TryGetProperty("String", out var literal))
                {
                    return Regex.Escape(literal.GetString()!);
                }
            }
        }

        return Gpt2Pattern;
    }
}
