using System.Text.Json.Nodes;

namespace BeneficialRL.Learning.Tests.Tokenization;

/// <summary>Writes a small GPT-2 style byte-level BPE tokenizer.json: 256 byte symbols, a few merges, two special tokens.</summary>
internal static class TinyHuggingFaceTokenizer
{
    public const int BosId = 263;
    public const int EosId = 264;
    public const int HelloId = 260;

    public static string Json()
    {
        var symbols = ByteSymbols();
        var vocab = new JsonObject();
        for (var b = 0; b < 256; b++)
        {
            vocab[symbols[b].ToString()] = b;
        }

        // Merge chain: h+e → he, l+l → ll, he+ll → hell, hell+o → hello ("Ġ" is the byte-level space).
        vocab["he"] = 256;
        vocab["ll"] = 257;
        vocab["hell"] = 258;
        vocab["Ġw"] = 259;
        vocab["hello"] = 260;
        vocab["or"] = 261;
        vocab["Ġwor"] = 262;
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(
                new JsonObject { ["id"] = BosId, ["content"] = "<s>", ["special"] = true },
                new JsonObject { ["id"] = EosId, ["content"] = "</s>", ["special"] = true }),
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["use_regex"] = true },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["vocab"] = vocab,
                ["merges"] = new JsonArray("h e", "l l", "he ll", "Ġ w", "hell o", "o r", "Ġw or"),
            },
        };
        return root.ToJsonString();
    }

    /// <summary>GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to code points from 256 up.</summary>
    private static char[] ByteSymbols()
    {
        var symbols = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            symbols[b] = printable ? (char)b : (char)next++;
        }

        return symbols;
    }
}
