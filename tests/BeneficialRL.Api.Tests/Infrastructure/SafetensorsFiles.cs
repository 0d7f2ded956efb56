using System.Buffers.Binary;
using System.Text;

namespace BeneficialRL.Api.Tests.Infrastructure;

/// <summary>Writes small, well-formed safetensors files for import tests.</summary>
public static class SafetensorsFiles
{
    /// <summary>A file with one F32 tensor of <paramref name="count"/> values.</summary>
    public static byte[] SingleTensor(int count, float seed = 1f)
    {
        var header = Encoding.UTF8.GetBytes($"{{\"w\":{{\"dtype\":\"F32\",\"shape\":[{count}],\"data_offsets\":[0,{count * 4}]}},\"__metadata__\":{{\"format\":\"pt\"}}}}");
        var bytes = new byte[8 + header.Length + (count * 4)];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        for (var i = 0; i < count; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(8 + header.Length + (i * 4)), seed * i);
        return bytes;
    }
}
