using System.Buffers.Binary;
using System.Text;

namespace BeneficialRL.Cluster.Tests.Clustering;

/// <summary>The smallest well-formed safetensors file: one F32 tensor of two values.</summary>
internal static class TinySafetensors
{
    /// <summary>8-byte little-endian header length, the JSON header, then 8 bytes of tensor data.</summary>
    public static byte[] Create()
    {
        var header = Encoding.UTF8.GetBytes("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""");
        var file = new byte[8 + header.Length + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(8 + header.Length), 1f);
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(12 + header.Length), 2f);
        return file;
    }
}
