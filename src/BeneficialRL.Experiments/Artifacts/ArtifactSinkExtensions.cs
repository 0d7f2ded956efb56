using System.Text;
using System.Text.Json;
using BeneficialRL.Experiments.Specs;

namespace BeneficialRL.Experiments.Artifacts;

/// <summary>Typed helpers over <see cref="IArtifactSink"/>.</summary>
public static class ArtifactSinkExtensions
{
    /// <summary>Writes bytes.</summary>
    public static async Task WriteBytesAsync(this IArtifactSink sink, string name, byte[] bytes, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        using var stream = new MemoryStream(bytes, writable: false);
        await sink.WriteAsync(name, stream, contentType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a value as indented camelCase JSON.</summary>
    public static Task WriteJsonAsync<T>(this IArtifactSink sink, string name, T value, CancellationToken cancellationToken) =>
        sink.WriteBytesAsync(name, JsonSerializer.SerializeToUtf8Bytes(value, ExperimentJson.Indented), "application/json", cancellationToken);

    /// <summary>Writes one JSON object per line.</summary>
    public static Task WriteJsonLinesAsync<T>(this IArtifactSink sink, string name, IEnumerable<T> values, CancellationToken cancellationToken)
    {
        var builder = new StringBuilder();
        foreach (var value in values)
        {
            builder.Append(JsonSerializer.Serialize(value, ExperimentJson.Options)).Append('\n');
        }

        return sink.WriteBytesAsync(name, Encoding.UTF8.GetBytes(builder.ToString()), "application/x-ndjson", cancellationToken);
    }

    /// <summary>Reads a JSON artifact, or null when absent.</summary>
    public static async Task<T?> ReadJsonAsync<T>(this IArtifactSink sink, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var stream = await sink.OpenReadAsync(name, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return default;
        }

        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync<T>(stream, ExperimentJson.Options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a JSON-lines artifact written by <see cref="WriteJsonLinesAsync"/>; empty when absent.</summary>
    public static async Task<IReadOnlyList<T>> ReadJsonLinesAsync<T>(this IArtifactSink sink, string name, CancellationToken cancellationToken)
    {
        var bytes = await sink.ReadBytesAsync(name, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return [];
        }

        return [.. Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select((line, index) => JsonSerializer.Deserialize<T>(line, ExperimentJson.Options) ?? throw new JsonException($"{name} line {index + 1} is null."))];
    }

    /// <summary>Reads an artifact's bytes, or null when absent.</summary>
    public static async Task<byte[]?> ReadBytesAsync(this IArtifactSink sink, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var stream = await sink.OpenReadAsync(name, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }
}
