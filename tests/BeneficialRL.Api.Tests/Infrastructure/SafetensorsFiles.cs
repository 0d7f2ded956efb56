using System.Buffers.Binary;
using System.Text;

namespace BeneficialRL.Api.Tests.Infrastructure;

/// <summary>Writes small, well-formed safetensors files for import tests.</summary>
public static class SafetensorsFiles
{
    /// <summary>A file with one F32 tensor of <paramref name="count"/> values.</summary>
    public static byte[] SingleTensor(int count, float seed = 1f) => SingleTensor(count, "F32", 4, seed);

    /// <summary>A file with one tensor of <paramref name="count"/> elements of <paramref name="dtype"/>, <paramref name="width"/> bytes each.</summary>
    public static byte[] SingleTensor(int count, string dtype, int width, float seed = 1f)
    {
        var header = Encoding.UTF8.GetBytes($"{{\"w\":{{\"dtype\":\"{dtype}\",\"shape\":[{count}],\"data_offsets\":[0,{count * width}]}},\"__metadata__\":{{\"format\":\"pt\"}}}}");
        var bytes = new byte[8 + header.Length + (count * width)];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        for (var i = 0; i < count && width == 4; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(8 + header.Length + (i * 4)), seed * i);
        return bytes;
    }
}
