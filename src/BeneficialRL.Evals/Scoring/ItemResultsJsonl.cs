using System.Text;
using System.Text.Json;
using BeneficialRL.Evals.Definitions;

namespace BeneficialRL.Evals.Scoring;

/// <summary>Per-item results as JSONL (one <see cref="BenchmarkItemResult"/> per line), the blob the lead stores as <c>items.jsonl</c>.</summary>
public static class ItemResultsJsonl
{
    /// <summary>Writes the results as UTF-8 JSONL (no BOM, <c>\n</c> line ends); leaves the stream open.</summary>
    public static async Task WriteAsync(Stream stream, IEnumerable<BenchmarkItemResult> results, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        foreach (var result in results)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteLineAsync(JsonSerializer.Serialize(result, BenchmarkContentHash.CanonicalOptions)).ConfigureAwait(false);
        }
    }

    /// <summary>Reads results written by <see cref="WriteAsync"/>.</summary>
    public static async Task<IReadOnlyList<BenchmarkItemResult>> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        var results = new List<BenchmarkItemResult>();
        var lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            results.Add(JsonSerializer.Deserialize<BenchmarkItemResult>(line, BenchmarkContentHash.CanonicalOptions)
                ?? throw new InvalidDataException($"Item results line {lineNumber} is null."));
        }

        return results;
    }
}
