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

    /// <summary>Reads every tensor (F32, F16, BF16 become float32; I64 stays int64) onto the CPU, plus the metadata.</summary>
    public static SafetensorsContent Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > 100_000_000)
        {
            throw new InvalidDataException($"Safetensors header claims {headerLength} bytes; not a safetensors stream.");
        }

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var header = JsonNode.Parse(headerBytes)?.AsObject() ?? throw new InvalidDataException("Safetensors header is not a JSON object.");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<(string Name, string DType, long[] Shape, long Start, long End)>();
        foreach (var (name, node) in header)
        {
            if (name == MetadataKey)
            {
                foreach (var (key, value) in node!.AsObject())
                {
                    metadata[key] = value!.GetValue<string>();
                }

                continue;
            }

            var entry = node?.AsObject() ?? throw new InvalidDataException($"Safetensors entry '{name}' is not an object.");
            var offsets = entry["data_offsets"]?.AsArray() ?? throw new InvalidDataException($"Safetensors entry '{name}' has no data_offsets.");
            entries.Add((
                name,
                entry["dtype"]?.GetValue<string>() ?? throw new InvalidDataException($"Safetensors entry '{name}' has no dtype."),
                [.. (entry["shape"]?.AsArray() ?? throw new InvalidDataException($"Safetensors entry '{name}' has no shape.")).Select(d => d!.GetValue<long>())],
                offsets[0]!.GetValue<long>(),
                offsets[1]!.GetValue<long>()));
        }

        var dataLength = entries.Count == 0 ? 0 : entries.Max(e => e.End);
        var data = new byte[dataLength];
        stream.ReadExactly(data);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, dtype, shape, start, end) in entries)
            {
                if (start < 0 || end < start || end > dataLength)
                {
                    throw new InvalidDataException($"Safetensors entry '{name}' has data_offsets [{start}, {end}] outside the {dataLength}-byte data section.");
                }

                tensors[name] = FromBytes(name, dtype, shape, data.AsSpan((int)start, (int)(end - start)));
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

        return new SafetensorsContent(tensors, metadata);
    }

    private static (string DType, byte[] Bytes) ToBytes(string name, Tensor tensor)
    {
        using var cpu = tensor.detach().cpu().contiguous();
        if (cpu.dtype == ScalarType.Int64)
        {
            return ("I64", MemoryMarshal.AsBytes(cpu.data<long>().ToArray().AsSpan()).ToArray());
        }

        if (!cpu.is_floating_point())
        {
            throw new NotSupportedException($"Tensor '{name}' has dtype {cpu.dtype}; only floating point and int64 tensors are written.");
        }

        using var single = cpu.to(ScalarType.Float32);
        return ("F32", MemoryMarshal.AsBytes(single.data<float>().ToArray().AsSpan()).ToArray());
    }

    private static Tensor FromBytes(string name, string dtype, long[] shape, ReadOnlySpan<byte> bytes)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        switch (dtype)
        {
            case "F32":
                Expect(name, bytes, count, 4);
                return tensor(MemoryMarshal.Cast<byte, float>(bytes).ToArray(), shape);
            case "F16":
                {
                    Expect(name, bytes, count, 2);
                    var halves = MemoryMarshal.Cast<byte, Half>(bytes);
                    var values = new float[count];
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = (float)halves[i];
                    }

                    return tensor(values, shape);
                }

            case "BF16":
                {
                    Expect(name, bytes, count, 2);
                    var raw = MemoryMarshal.Cast<byte, ushort>(bytes);
                    var values = new float[count];
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = BitConverter.UInt32BitsToSingle((uint)raw[i] << 16);
                    }

                    return tensor(values, shape);
                }

            case "I64":
                Expect(name, bytes, count, 8);
                return tensor(MemoryMarshal.Cast<byte, long>(bytes).ToArray(), shape);
            default:
                throw new NotSupportedException($"Safetensors entry '{name}' has dtype {dtype}; supported: F32, F16, BF16, I64.");
        }
    }

    private static void Expect(string name, ReadOnlySpan<byte> bytes, long count, int width)
    {
        if (bytes.Length != count * width)
        {
            throw new InvalidDataException($"Safetensors entry '{name}' holds {bytes.Length} bytes; its shape needs {count * width}.");
        }
    }
}
