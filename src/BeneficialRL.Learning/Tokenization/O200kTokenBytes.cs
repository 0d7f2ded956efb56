using System.IO.Compression;
using System.Reflection;
using System.Text;

namespace BeneficialRL.Learning.Tokenization;

/// <summary>
/// The byte string behind every o200k id, read from the ranks file that ships in
/// Microsoft.ML.Tokenizers.Data.O200kBase (the tokenizer keeps its own table internal). Needed for
/// exact byte fallback: a token outside the compact vocabulary is re-spelled with its bytes.
/// </summary>
internal static class O200kTokenBytes
{
    private const string DataAssembly = "Microsoft.ML.Tokenizers.Data.O200kBase";
    private const string ResourceName = "o200k_base.tiktoken.deflate";
    private static readonly Lazy<Dictionary<int, byte[]>> Table = new(Load);

    public static IReadOnlyDictionary<int, byte[]> ById => Table.Value;

    private static Dictionary<int, byte[]> Load()
    {
        var assembly = Assembly.Load(DataAssembly);
        using var compressed = assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{DataAssembly} has no resource '{ResourceName}'.");
        using var inflated = new DeflateStream(compressed, CompressionMode.Decompress);
        using var reader = new StreamReader(inflated, Encoding.UTF8);
        var table = new Dictionary<int, byte[]>(200_000);

        // The packaged file is "Capacity: N" then one base64 token per line whose rank is its line
        // index; a line may also carry an explicit "<base64> <rank>" as in OpenAI's .tiktoken files.
        var lineNumber = 0;
        var nextRank = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal))
            {
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var rank = nextRank;
            if (space > 0 && !int.TryParse(line.AsSpan(space + 1), out rank))
            {
                throw new InvalidDataException($"o200k ranks file line {lineNumber} is neither '<base64>' nor '<base64> <rank>'.");
            }

            table[rank] = Convert.FromBase64String(space > 0 ? line[..space] : line);
            nextRank = rank + 1;
        }

        return table;
    }
}
