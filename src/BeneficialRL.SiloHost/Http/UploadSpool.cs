using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BeneficialRL.SiloHost.Http;

/// <summary>
/// Copies a request body to a temporary file while hashing it and enforcing the size limit, so an
/// upload can be validated in full before anything is stored, without holding it in memory.
/// </summary>
public sealed class UploadSpool : IAsyncDisposable
{
    private UploadSpool(string path, long length, string sha256) => (Path, Length, Sha256) = (path, length, sha256);

    /// <summary>The temporary file.</summary>
    public string Path { get; }

    /// <summary>Bytes received.</summary>
    public long Length { get; }

    /// <summary>Lowercase hex SHA-256 of the body.</summary>
    public string Sha256 { get; }

    /// <summary>Spools the body, or returns a 413 problem when it exceeds <paramref name="maxBytes"/>.</summary>
    public static Task<(UploadSpool? Spool, ProblemHttpResult? Problem)> ReceiveAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken) =>
        request.ContentLength > maxBytes
            ? Task.FromResult<(UploadSpool?, ProblemHttpResult?)>((null, ApiProblems.TooLarge(maxBytes)))
            : ReceiveAsync(request.Body, maxBytes, cancellationToken);

    /// <summary>Spools <paramref name="body"/>, or returns a 413 problem when it exceeds <paramref name="maxBytes"/>.</summary>
    public static async Task<(UploadSpool? Spool, ProblemHttpResult? Problem)> ReceiveAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"beneficialrl-upload-{Guid.NewGuid():N}");
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long total = 0;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        await file.DisposeAsync();
                        File.Delete(path);
                        return (null, ApiProblems.TooLarge(maxBytes));
                    }

                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            return (new UploadSpool(path, total, Convert.ToHexStringLower(sha.GetHashAndReset())), null);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Opens the spooled body for reading.</summary>
    public FileStream OpenRead() => new(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        File.Delete(Path);
        return ValueTask.CompletedTask;
    }
}
