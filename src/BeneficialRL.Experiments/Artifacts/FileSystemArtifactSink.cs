using BeneficialRL.Primitives.Hashing;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Experiments.Artifacts;

/// <summary>
/// Artifacts as files under a root folder; writes go to a temporary file first so readers never see half a file,
/// and immutable names (<see cref="TenantBlobLayout.WriteModeOf"/>) are written once, as in blob storage.
/// </summary>
public sealed class FileSystemArtifactSink : IArtifactSink
{
    private readonly string _root;

    /// <summary>A sink rooted at <paramref name="root"/> (created when missing).</summary>
    public FileSystemArtifactSink(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    /// <summary>The root folder.</summary>
    public string Root => _root;

    /// <summary>The file path of an artifact name.</summary>
    public string PathOf(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var full = Path.GetFullPath(Path.Combine(_root, name.Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Artifact name '{name}' escapes the artifact root.", nameof(name));
        }

        return full;
    }

    /// <inheritdoc />
    public async Task WriteAsync(string name, Stream content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(name);
        var immutable = TenantBlobLayout.WriteModeOf(name) == ArtifactWriteMode.Immutable;
        if (immutable && File.Exists(path))
        {
            // Hash first: a resumed run writing the same bytes again needs no second copy.
            var (newHash, _) = await ArtifactHash.ComputeAsync(content, null, cancellationToken).ConfigureAwait(false);
            await ThrowIfDifferentAsync(name, path, newHash, cancellationToken).ConfigureAwait(false);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        string hash;
        var file = File.Create(temporary);
        await using (file.ConfigureAwait(false))
        {
            (hash, _) = await ArtifactHash.ComputeAsync(content, file, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            File.Move(temporary, path, overwrite: !immutable);
        }
        catch (IOException) when (immutable && File.Exists(path))
        {
            // Another writer got there first: like If-None-Match on a blob, equal bytes are fine.
            File.Delete(temporary);
            await ThrowIfDifferentAsync(name, path, hash, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        return Task.FromResult<Stream?>(File.Exists(path) ? File.OpenRead(path) : null);
    }

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) => Task.FromResult(File.Exists(PathOf(name)));

    private static async Task ThrowIfDifferentAsync(string name, string path, string newHash, CancellationToken cancellationToken)
    {
        var existing = File.OpenRead(path);
        string existingHash;
        await using (existing.ConfigureAwait(false))
        {
            (existingHash, _) = await ArtifactHash.ComputeAsync(existing, null, cancellationToken).ConfigureAwait(false);
        }

        if (!string.Equals(existingHash, newHash, StringComparison.Ordinal))
        {
            throw new ArtifactConflictException(name, existingHash, newHash);
        }
    }
}
