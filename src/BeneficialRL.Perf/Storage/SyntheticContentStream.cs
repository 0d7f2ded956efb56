namespace BeneficialRL.Perf.Storage;

/// <summary>
/// A forward-only, non-seekable stream of <paramref name="length"/> bytes, like a network body: 1 MiB of random
/// bytes repeated with a per-MiB counter stamped in, so it costs no I/O to produce and no two blocks are equal.
/// </summary>
internal sealed class SyntheticContentStream(long length) : Stream
{
    private const int PatternBytes = 1024 * 1024;
    private static readonly byte[] Pattern = CreatePattern();
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length && _position < length)
        {
            var patternOffset = (int)(_position % PatternBytes);
            var count = (int)Math.Min(Math.Min(buffer.Length - total, PatternBytes - patternOffset), length - _position);
            Pattern.AsSpan(patternOffset, count).CopyTo(buffer[total..]);
            if (patternOffset == 0 && count >= sizeof(long))
            {
                BitConverter.TryWriteBytes(buffer[total..], _position / PatternBytes);
            }

            total += count;
            _position += count;
        }

        return total;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static byte[] CreatePattern()
    {
        var pattern = new byte[PatternBytes];
        new Random(20261123).NextBytes(pattern);
        return pattern;
    }
}
