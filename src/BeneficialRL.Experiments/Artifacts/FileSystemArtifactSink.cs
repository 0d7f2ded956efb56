namespace BeneficialRL.Experiments.Artifacts;

/// <summary>Artifacts as files under a root folder; writes go to a temporary file first so readers never see half a file.</summary>
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
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        var file = File.Create(temporary);
        await using (file.ConfigureAwait(false))
        {
            await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <inheritdoc />
    public Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        return Task.FromResult<Stream?>(File.Exists(path) ? File.OpenRead(path) : null);
    }

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) => Task.FromResult(File.Exists(PathOf(name)));
}
