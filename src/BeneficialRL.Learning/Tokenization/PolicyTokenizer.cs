using System.Text.Json;

namespace BeneficialRL.Learning.Tokenization;

/// <summary>
/// The policy's tokenizer, backed by Microsoft.ML.Tokenizers: for the built-in model a compacted
/// o200k_base vocabulary (<see cref="BuildCompactO200k"/>), for imported models their
/// <c>tokenizer.json</c> (<see cref="FromHuggingFace"/>). Control tokens are only ever produced by
/// code (never parsed out of text), so user text cannot forge a role marker.
/// </summary>
public sealed class PolicyTokenizer
{
    internal const string CompactO200kKind = "o200k-compact";
    internal const string HuggingFaceKind = "huggingface";
    private readonly ITokenizerBackend _backend;

    private PolicyTokenizer(ITokenizerBackend backend) => _backend = backend;

    /// <summary>Number of ids the model's embedding must cover.</summary>
    public int VocabularySize => _backend.VocabularySize;

    /// <summary>Control token ids.</summary>
    public SpecialTokenIds Special => _backend.Special;

    /// <summary>
    /// A tokenizer whose vocabulary is the o200k tokens appearing in <paramref name="corpus"/>, plus all
    /// 256 single-byte tokens (so unseen text still encodes, byte by byte) and six control tokens.
    /// </summary>
    public static PolicyTokenizer BuildCompactO200k(IEnumerable<string> corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        return new PolicyTokenizer(new CompactO200kBackend(CompactO200kBackend.CollectIds(corpus)));
    }

    /// <summary>Reads a Hugging Face byte-level BPE <c>tokenizer.json</c>; bos/eos ids from config.json win when given.</summary>
    public static PolicyTokenizer FromHuggingFace(string tokenizerJson, int? bosId = null, int? eosId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tokenizerJson);
        return new PolicyTokenizer(new HuggingFaceBpeBackend(tokenizerJson, bosId, eosId));
    }

    /// <summary>Rebuilds a tokenizer from <see cref="Describe"/>'s output.</summary>
    public static PolicyTokenizer FromDescriptor(TokenizerDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return descriptor.Kind switch
        {
            CompactO200kKind => new PolicyTokenizer(new CompactO200kBackend(
                descriptor.O200kIds ?? throw new InvalidDataException("Tokenizer descriptor of kind o200k-compact has no o200kIds."))),
            HuggingFaceKind => FromHuggingFace(
                descriptor.TokenizerJson ?? throw new InvalidDataException("Tokenizer descriptor of kind huggingface has no tokenizerJson."),
                descriptor.BosId,
                descriptor.EosId),
            _ => throw new InvalidDataException($"Tokenizer descriptor kind '{descriptor.Kind}' is unknown."),
        };
    }

    /// <summary>Serialisable description (the compact id map, or the tokenizer.json).</summary>
    public TokenizerDescriptor Describe() => _backend.Describe();

    /// <summary>The descriptor as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(Describe());

    /// <summary>Rebuilds a tokenizer from <see cref="ToJson"/>'s output.</summary>
    public static PolicyTokenizer FromJson(string json) =>
        FromDescriptor(JsonSerializer.Deserialize<TokenizerDescriptor>(json) ?? throw new InvalidDataException("Tokenizer JSON is null."));

    /// <summary>Token ids of plain text, without control tokens.</summary>
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _backend.Encode(text);
    }

    /// <summary>Names control tokens are shown by (never parsed from text): bos, eos, pad, system, user, assistant.</summary>
    public static IReadOnlyList<string> ControlTokenNames { get; } = ["<|bos|>", "<|eos|>", "<|pad|>", "<|system|>", "<|user|>", "<|assistant|>"];

    /// <summary>The display name of a control token id, or null for an ordinary token.</summary>
    public string? ControlTokenName(int id)
    {
        var s = Special;
        return id == s.Bos ? ControlTokenNames[0]
            : id == s.Eos ? ControlTokenNames[1]
            : id == s.Pad ? ControlTokenNames[2]
            : id == s.System ? ControlTokenNames[3]
            : id == s.User ? ControlTokenNames[4]
            : id == s.Assistant ? ControlTokenNames[5]
            : null;
    }

    /// <summary>
    /// The text of one token as logprob listings show it: a control token by its name, any other decoded alone (a token
    /// holding part of a UTF-8 sequence shows U+FFFD).
    /// </summary>
    public string TokenText(int id) => ControlTokenName(id) ?? _backend.Decode([id]);

    /// <summary>Text of token ids; control tokens are dropped.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var s = Special;
        return _backend.Decode(ids.Where(id => id != s.Bos && id != s.Eos && id != s.Pad && id != s.System && id != s.User && id != s.Assistant));
    }
}
