using BeneficialRL.LocalInfrastructure;
using System.Runtime.Versioning;

namespace BeneficialRL.Cluster.Tests.Keys;

[SupportedOSPlatform("linux")]
public sealed class LocalApiKeyTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "beneficialrl-key-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void LoadOrCreate_NoFile_CreatesOwnerOnlyFileWithPrefixedKey()
    {
        var (key, created) = LocalApiKey.LoadOrCreate(_directory);

        Assert.True(created);
        Assert.StartsWith(LocalApiKey.Prefix, key, StringComparison.Ordinal);
        Assert.True(LocalApiKey.IsWellFormed(key));
        var path = Path.Combine(_directory, LocalApiKey.FileName);
        Assert.Equal(key, File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void LoadOrCreate_SecondCall_ReturnsTheSameKey()
    {
        var (first, _) = LocalApiKey.LoadOrCreate(_directory);

        var (second, created) = LocalApiKey.LoadOrCreate(_directory);

        Assert.False(created);
        Assert.Equal(first, second);
    }

    [Fact]
    public void LoadOrCreate_MalformedFile_ThrowsNamingTheFile()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, LocalApiKey.FileName);
        File.WriteAllText(path, "not-a-key");

        var exception = Assert.Throws<InvalidDataException>(() => LocalApiKey.LoadOrCreate(_directory));

        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_TwoCalls_GiveDifferentKeysOf32Bytes()
    {
        var first = LocalApiKey.Generate();
        var second = LocalApiKey.Generate();

        Assert.NotEqual(first, second);
        // 32 bytes in base64url without padding are 43 characters.
        Assert.Equal(LocalApiKey.Prefix.Length + 43, first.Length);
    }

    [Fact]
    public void Mask_GeneratedKey_KeepsOnlyThePrefixAndLastFourCharacters()
    {
        var key = LocalApiKey.Generate();

        var masked = LocalApiKey.Mask(key);

        Assert.Equal($"{LocalApiKey.Prefix}…{key[^4..]}", masked);
        Assert.DoesNotContain(key[LocalApiKey.Prefix.Length..^4], masked, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
