using System.Text;
using Microsoft.ML.Tokenizers;

namespace BeneficialRL.Learning.Tokenization;

/// <summary>
/// OpenAI's o200k_base BPE with its vocabulary cut down to the ids a corpus uses plus the 256
/// single-byte tokens; an o200k token outside the kept set is spelled with its bytes, so any text
/// encodes and decodes exactly. Six control tokens follow the kept ids.
/// </summary>
internal sealed class CompactO200kBackend : ITokenizerBackend
{
    private const int ControlTokenCount = 6;
    private static readonly Lazy<TiktokenTokenizer> O200k = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));
    private readonly int[] _o200kIds;
    private readonly Dictionary<int, int> _compactByO200k;
    private readonly byte[][] _bytesByCompact;
    private readonly int[] _compactByByte = new int[256];

    public CompactO200kBackend(IReadOnlyList<int> o200kIds)
    {
        var decoder = O200kTokenBytes.ById;
        _o200kIds = [.. o200kIds];
        _compactByO200k = new Dictionary<int, int>(_o200kIds.Length);
        _bytesByCompact = new byte[_o200kIds.Length][];
        for (var i = 0; i < _o200kIds.Length; i++)
        {
            if (!decoder.TryGetValue(_o200kIds[i], out var bytes))
            {
                throw new InvalidDataException($"Compact tokenizer map entry {i} names o200k id {_o200kIds[i]}, which is not an o200k token.");
            }

            if (!_compactByO200k.TryAdd(_o200kIds[i], i))
            {
                throw new InvalidDataException($"Compact tokenizer map lists o200k id {_o200kIds[i]} twice (entry {i}).");
            }

            _bytesByCompact[i] = bytes;
        }

        Array.Fill(_compactByByte, -1);
        for (var i = 0; i < _bytesByCompact.Length; i++)
        {
            if (_bytesByCompact[i].Length == 1)
            {
                _compactByByte[_bytesByCompact[i][0]] = i;
            }
        }

        var missing = Array.IndexOf(_compactByByte, -1);
        if (missing >= 0)
        {
            throw new InvalidDataException($"Compact tokenizer map lacks the single-byte token 0x{missing:X2} needed for byte fallback.");
        }

        var n = _o200kIds.Length;
        Special = new SpecialTokenIds(Bos: n, Eos: n + 1, Pad: n + 2, System: n + 3, User: n + 4, Assistant: n + 5);
    }

    public int VocabularySize => _o200kIds.Length + ControlTokenCount;

    public SpecialTokenIds Special { get; }

    /// <summary>The o200k ids a corpus uses, plus every single-byte token, sorted.</summary>
    public static List<int> CollectIds(IEnumerable<string> corpus)
    {
        var tokenizer = O200k.Value;
        var decoder = O200kTokenBytes.ById;
        var kept = new SortedSet<int>();
        foreach (var (id, bytes) in decoder)
        {
            if (bytes.Length == 1)
            {
                kept.Add(id);
            }
        }

        foreach (var text in corpus)
        {
            foreach (var id in tokenizer.EncodeToIds(text))
            {
                if (decoder.ContainsKey(id))
                {
                    kept.Add(id);
                }
            }
        }

        return [.. kept];
    }

    public List<int> Encode(string text)
    {
        var tokenizer = O200k.Value;
        var result = new List<int>(text.Length / 3);
        foreach (var token in tokenizer.EncodeToTokens(text, out _))
        {
            if (_compactByO200k.TryGetValue(token.Id, out var compact))
            {
                result.Add(compact);
                continue;
            }

            // Unknown to the compact vocabulary: spell the token with single-byte tokens. o200k's own
            // special tokens (e.g. <|endoftext|> typed in text) have no byte entry; their text is spelled instead.
            var bytes = O200kTokenBytes.ById.TryGetValue(token.Id, out var tokenBytes)
                ? tokenBytes
                : Encoding.UTF8.GetBytes(text[token.Offset]);
            foreach (var b in bytes)
            {
                result.Add(_compactByByte[b]);
            }
        }

        return result;
    }

    public string Decode(IEnumerable<int> ids)
    {
        var buffer = new List<byte>();
        foreach (var id in ids)
        {
            if (id >= 0 && id < _bytesByCompact.Length)
            {
                buffer.AddRange(_bytesByCompact[id]);
            }
            else if (id < 0 || id >= VocabularySize)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), $"Token id {id} is outside the vocabulary of {VocabularySize}.");
            }
        }

        return Encoding.UTF8.GetString([.. buffer]);
    }

    public TokenizerDescriptor Describe() => new() { Kind = PolicyTokenizer.CompactO200kKind, O200kIds = _o200kIds };
}
