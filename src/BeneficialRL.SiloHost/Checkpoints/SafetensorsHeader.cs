using System.Buffers.Binary;
using System.Text.Json;

namespace BeneficialRL.SiloHost.Checkpoints;

/// <summary>
/// Checks that an uploaded file is a well-formed safetensors file before it is stored: an 8-byte
/// little-endian header length, a JSON header whose tensors have a known dtype, a shape and data
/// offsets that tile the data section exactly.
/// </summary>
public static class SafetensorsHeader
{
    private const long MaxHeaderBytes = 100L << 20;

    private static readonly Dictionary<string, int> DtypeBytes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8,
        ["F32"] = 4,
        ["F16"] = 2,
        ["BF16"] = 2,
        ["I64"] = 8,
        ["I32"] = 4,
        ["I16"] = 2,
        ["I8"] = 1,
        ["U8"] = 1,
        ["BOOL"] = 1,
        ["U16"] = 2,
        ["U32"] = 4,
        ["U64"] = 8,
        ["F8_E4M3"] = 1,
        ["F8_E5M2"] = 1,
    };

    /// <summary>Returns the number of tensors, or throws <see cref="InvalidDataException"/> naming what is wrong.</summary>
    public static async Task<int> ValidateAsync(Stream stream, long totalLength, CancellationToken cancellationToken)
    {
        var prefix = new byte[8];
        if (totalLength < 8 || await stream.ReadAtLeastAsync(prefix, 8, throwOnEndOfStream: false, cancellationToken) < 8)
            throw new InvalidDataException("The file is shorter than the 8-byte safetensors header length.");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength == 0 || headerLength > (ulong)Math.Min(MaxHeaderBytes, totalLength - 8))
            throw new InvalidDataException($"The safetensors header length {headerLength} does not fit a {totalLength}-byte file.");

        var header = new byte[(int)headerLength];
        await stream.ReadExactlyAsync(header, cancellationToken);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The safetensors header is not JSON: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException("The safetensors header must be a JSON object.");
            var dataLength = totalLength - 8 - (long)headerLength;
            var ranges = new List<(long Begin, long End, string Name)>();
            foreach (var tensor in document.RootElement.EnumerateObject())
            {
                if (tensor.Name == "__metadata__") continue;
                ranges.Add(ReadTensor(tensor, dataLength));
            }

            if (ranges.Count == 0) throw new InvalidDataException("The safetensors file holds no tensors.");
            ranges.Sort((a, b) => a.Begin.CompareTo(b.Begin));
            long expected = 0;
            foreach (var (begin, end, name) in ranges)
            {
                if (begin != expected) throw new InvalidDataException($"Tensor '{name}' starts at byte {begin} of the data section; expected {expected} (tensors must not overlap or leave gaps).");
                expected = end;
            }

            if (expected != dataLength) throw new InvalidDataException($"The tensors cover {expected} bytes but the data section has {dataLength}.");
            return ranges.Count;
        }
    }

    private static (long Begin, long End, string Name) ReadTensor(JsonProperty tensor, long dataLength)
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

        if (!DtypeBytes.TryGetValue(dtype.GetString()!, out var elementBytes)) throw new InvalidDataException($"Tensor '{name}' has unknown dtype '{dtype.GetString()}'.");
        // Checked: a shape like [2^62+2] of F32 wraps to a few bytes unchecked and would pass the size check below.
        long bytes = elementBytes;
        foreach (var dimension in shape.EnumerateArray())
        {
            if (!dimension.TryGetInt64(out var size) || size < 0) throw new InvalidDataException($"Tensor '{name}' has an invalid shape.");
            if (!TryMultiply(bytes, size, out bytes))
                throw new InvalidDataException($"Tensor '{name}' has a shape whose size overflows: it cannot fit any file.");
        }

        if (!offsets[0].TryGetInt64(out var begin) || !offsets[1].TryGetInt64(out var end) || begin < 0 || end < begin || end > dataLength)
            throw new InvalidDataException($"Tensor '{name}' has data offsets outside the data section.");
        if (end - begin != bytes)
            throw new InvalidDataException($"Tensor '{name}' spans {end - begin} bytes but its shape and dtype need {bytes}.");
        return (begin, end, name);
    }

    private static bool TryMultiply(long a, long b, out long product)
    {
        // Both factors are non-negative: the product fits when the high half is zero and the low half's sign bit is clear.
        var high = Math.BigMul(a, b, out product);
        return high == 0 && product >= 0;
    }
}
