using System.Buffers;
using System.Security.Cryptography;

namespace BeneficialRL.Primitives.Hashing;

/// <summary>The SHA-256 an artifact is known by, computed while its bytes stream past (never buffered whole).</summary>
public static class ArtifactHash
{
    /// <summary>
    /// Reads <paramref name="content"/> to its end and returns its lowercase hex SHA-256 and length, copying the
    /// bytes to <paramref name="copyTo"/> on the way when given.
    /// </summary>
    public static async Task<(string Sha256, long Length)> ComputeAsync(Stream content, Stream? copyTo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1024 * 1024);
        long length = 0;
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                length += read;
                if (copyTo is not null)
                {
                    await copyTo.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset()), length);
    }
}
