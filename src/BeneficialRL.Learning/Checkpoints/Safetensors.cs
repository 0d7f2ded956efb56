using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Checkpoints;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
/// mapping each name to dtype, shape and byte offsets (plus optional string <c>__metadata__</c>),
/// then the raw little-endian data. Streams are never closed.
/// </summary>
public static class Safetensors
{
    private const string MetadataKey = "__metadata__";

    /// <summary>Headers of arbitrary size would let a 16-byte upload claim gigabytes of JSON.</summary>
    private const long MaxHeaderBytes = 100L << 20;

    /// <summary>The dtypes the engine reads, with their element widths; anything else is rejected when parsed.</summary>
    private static readonly Dictionary<string, int> DTypeBytes = new(StringComparer.Ordinal)
    {
        ["F32"] = 4,
        ["F16"] = 2,
        ["BF16"] = 2,
        ["I64"] = 8,
    };

    /// <summary>Writes <paramref name="tensors"/> (any float dtype is stored as F32; int64 as I64) in name order.</summary>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        var ordered = tensors.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (key, value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                meta[key] = value;
            }

            header[MetadataKey] = meta;
        }

        var payloads = new List<byte[]>(ordered.Count);
        long offset = 0;
        foreach (var (name, tensor) in ordered)
        {
            var (dtype, bytes) = ToBytes(name, tensor);
            header[name] = new JsonObject
            {
                ["dtype"] = dtype,
                ["shape"] = new JsonArray([.. tensor.shape.Select(d => (JsonNode)JsonValue.Create(d))]),
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(offset + bytes.Length)),
            };
            offset += bytes.Length;
            payloads.Add(bytes);
        }

        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (headerBytes.Length + 7) / 8 * 8;
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        stream.Write(length);
        stream.Write(headerBytes);
        for (var i = headerBytes.Length; i < padded; i++)
        {
            // The format pads the header with spaces so the data starts 8-byte aligned.
            stream.WriteByte((byte)' ');
        }

        foreach (var payload in payloads)
        {
            stream.Write(payload);
        }
    }

    /// <summary>
    /// Reads and checks the header of a whole safetensors file of <paramref name="totalLength"/> bytes without
    /// reading its data: what an upload is held to before it is stored. Besides <see cref="Read"/>'s checks, the file
    /// must hold at least one tensor and end where the last tensor does.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not safetensors the engine can read; the message says what is wrong.</exception>
    public static async Task<SafetensorsHeader> ReadHeaderAsync(Stream stream, long totalLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var prefix = new byte[8];
        if (totalLength < 8 || await stream.ReadAtLeastAsync(prefix, 8, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < 8)
        {
            throw new InvalidDataException("The file is shorter than the 8-byte safetensors header length.");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength == 0 || headerLength > (ulong)Math.Min(MaxHeaderBytes, totalLength - 8))
        {
            throw new InvalidDataException($"The safetensors header length {headerLength} does not fit a {totalLength}-byte file.");
        }

        var json = new byte[(int)headerLength];
        await stream.ReadExactlyAsync(json, cancellationToken).ConfigureAwait(false);
        var header = ParseHeader(json);
        if (header.Entries.Count == 0)
        {
            throw new InvalidDataException("The safetensors file holds no tensors.");
        }

        var dataLength = totalLength - 8 - (long)headerLength;
        if (header.DataLength != dataLength)
        {
            throw new InvalidDataException($"The tensors cover {header.DataLength} bytes but the data section has {dataLength}.");
        }

        return header;
    }

    /// <summary>Reads every tensor (F32, F16, BF16 become float32; I64 stays int64) onto the CPU, plus the metadata.</summary>
    /// <exception cref="InvalidDataException">The stream is not safetensors the engine can read; the message says what is wrong.</exception>
    public static SafetensorsContent Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength == 0 || headerLength > MaxHeaderBytes)
        {
            throw new InvalidDataException($"Safetensors header claims {headerLength} bytes; not a safetensors stream.");
        }

        var json = new byte[headerLength];
        stream.ReadExactly(json);
        var header = ParseHeader(json);
        var data = new byte[header.DataLength];
        stream.ReadExactly(data);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var entry in header.Entries)
            {
                tensors[entry.Name] = FromBytes(entry, data.AsSpan((int)entry.Begin, (int)(entry.End - entry.Begin)));
            }
        }
        catch
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }

            throw;
        }

        return new SafetensorsContent(tensors, header.Metadata);
    }

    /// <summary>
    /// The one safetensors header parser: a JSON object of tensors with a dtype the engine reads, a non-negative
    /// shape and data offsets that match it and tile the data section from 0 without gaps or overlaps, plus an
    /// optional <c>__metadata__</c> object of strings.
    /// </summary>
    private static SafetensorsHeader ParseHeader(byte[] json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The safetensors header is not JSON: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException("The safetensors header must be a JSON object.");
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<SafetensorsEntry>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    if (property.Value.ValueKind != JsonValueKind.Object)
                    {
                        throw new InvalidDataException("The safetensors __metadata__ must be an object of strings.");
                    }

                    foreach (var item in property.Value.EnumerateObject())
                    {
                        metadata[item.Name] = item.Value.ValueKind == JsonValueKind.String
                            ? item.Value.GetString()!
                            : throw new InvalidDataException($"The safetensors __metadata__ value '{item.Name}' must be a string.");
                    }

                    continue;
                }

                entries.Add(ParseEntry(property));
            }

            long expected = 0;
            foreach (var entry in entries.OrderBy(e => e.Begin))
            {
                if (entry.Begin != expected)
                {
                    throw new InvalidDataException($"Tensor '{entry.Name}' starts at byte {entry.Begin} of the data section; expected {expected} (tensors must not overlap or leave gaps).");
                }

                expected = entry.End;
            }

            return new SafetensorsHeader(entries, metadata, expected);
        }
    }

    private static SafetensorsEntry ParseEntry(JsonProperty tensor)
    {
        var name = tensor.Name;
        var value = tensor.Value;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
        {
            throw new InvalidDataException($"Tensor '{name}' needs 'dtype', 'shape' and a two-element 'data_offsets'.");
        }

        var type = dtype.GetString()!;
        if (!DTypeBytes.TryGetValue(type, out var elementBytes))
        {
            throw new InvalidDataException($"Tensor '{name}' has dtype '{type}'; the learning engine reads {string.Join(", ", DTypeBytes.Keys)}.");
        }

        // Checked: a shape like [2^62+2] of F32 wraps to a few bytes unchecked and would pass the size check below.
        long bytes = elementBytes;
        var dimensions = new List<long>();
        foreach (var dimension in shape.EnumerateArray())
        {
            if (!dimension.TryGetInt64(out var size) || size < 0)
            {
                throw new InvalidDataException($"Tensor '{name}' has an invalid shape.");
            }

            // Both factors are non-negative: the product fits when the high half is zero and the low half's sign bit is clear.
            if (Math.BigMul(bytes, size, out bytes) != 0 || bytes < 0)
            {
                throw new InvalidDataException($"Tensor '{name}' has a shape whose size overflows: it cannot fit any file.");
            }

            dimensions.Add(size);
        }

        if (!offsets[0].TryGetInt64(out var begin) || !offsets[1].TryGetInt64(out var end) || begin < 0 || end < begin)
        {
            throw new InvalidDataException($"Tensor '{name}' has data offsets outside the data section.");
        }

        if (end > int.MaxValue)
        {
            throw new InvalidDataException($"Tensor '{name}' ends {end} bytes into the data section; the learning engine reads up to 2 GiB of tensor data per file.");
        }

        if (end - begin != bytes)
        {
            throw new InvalidDataException($"Tensor '{name}' spans {end - begin} bytes but its shape and dtype need {bytes}.");
        }

        return new SafetensorsEntry(name, type, [.. dimensions], begin, end);
    }

    private static (string DType, byte[] Bytes) ToBytes(string name, Tensor tensor)
    {
        // The scope disposes every tensor made here, the intermediate ones (detach, cpu) included.
        using var scope = NewDisposeScope();
        var cpu = tensor.detach().cpu().contiguous();
        if (cpu.dtype == ScalarType.Int64)
        {
            return ("I64", MemoryMarshal.AsBytes(cpu.data<long>().ToArray().AsSpan()).ToArray());
        }

        if (!cpu.is_floating_point())
        {
            throw new NotSupportedException($"Tensor '{name}' has dtype {cpu.dtype}; only floating point and int64 tensors are written.");
        }

        var single = cpu.to(ScalarType.Float32);
        return ("F32", MemoryMarshal.AsBytes(single.data<float>().ToArray().AsSpan()).ToArray());
    }

    private static Tensor FromBytes(SafetensorsEntry entry, ReadOnlySpan<byte> bytes)
    {
        // ParseHeader checked the dtype and that the bytes match the shape.
        var shape = entry.Shape;
        switch (entry.DType)
        {
            case "F32":
                return tensor(MemoryMarshal.Cast<byte, float>(bytes).ToArray(), shape);
            case "F16":
                {
                    var halves = MemoryMarshal.Cast<byte, Half>(bytes);
                    var values = new float[halves.Length];
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = (float)halves[i];
                    }

                    return tensor(values, shape);
                }

            case "BF16":
                {
                    var raw = MemoryMarshal.Cast<byte, ushort>(bytes);
                    var values = new float[raw.Length];
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = BitConverter.UInt32BitsToSingle((uint)raw[i] << 16);
                    }

                    return tensor(values, shape);
                }

            default:
                return tensor(MemoryMarshal.Cast<byte, long>(bytes).ToArray(), shape);
        }
    }
}
