using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Polly;

namespace BeneficialRL.Storage.Artifacts;

/// <summary>
/// A read-only, seekable view of one blob version that fetches it in ranged GETs, each through the
/// resilience pipeline, so a dropped connection costs one chunk instead of the whole download. Every range
/// is pinned to the ETag seen at open: a blob replaced mid-read fails loudly instead of mixing versions.
/// </summary>
internal sealed class BlobRangeReadStream(BlobClient blob, long length, ETag etag, ResiliencePipeline pipeline, int chunkBytes) : Stream
{
    private ReadOnlyMemory<byte> _chunk;
    private long _chunkStart;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.IsEmpty)
        {
            return 0;
        }

        if (_position < _chunkStart || _position >= _chunkStart + _chunk.Length)
        {
            _chunk = await FetchChunkAsync(_position, cancellationToken).ConfigureAwait(false);
            _chunkStart = _position;
        }

        var available = _chunk[(int)(_position - _chunkStart)..];
        var count = Math.Min(available.Length, buffer.Length);
        available[..count].CopyTo(buffer);
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Synchronous callers (e.g. a parser without an async API) block here; readers should prefer ReadAsync.
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, "Unknown seek origin."),
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException("Artifact streams are read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Artifact streams are read-only.");

    private async Task<ReadOnlyMemory<byte>> FetchChunkAsync(long offset, CancellationToken cancellationToken)
    {
        var count = (int)Math.Min(chunkBytes, length - offset);
        try
        {
            var content = await pipeline.ExecuteAsync(
                async token => (await blob.DownloadContentAsync(
                    new BlobDownloadOptions { Range = new HttpRange(offset, count), Conditions = new BlobRequestConditions { IfMatch = etag } },
                    token).ConfigureAwait(false)).Value.Content,
                cancellationToken).ConfigureAwait(false);
            return content.ToMemory();
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 412)
        {
            throw new IOException($"Artifact '{blob.Name}' was deleted or replaced while being read (status {exception.Status}).", exception);
        }
    }
}
