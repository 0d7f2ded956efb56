using Azure.Core;
using BeneficialRL.SiloHost.Hosting;
using Microsoft.Extensions.Configuration;

namespace BeneficialRL.Api.Tests;

/// <summary>The silo host's choice of blob client: a connection string (Azurite), or a service URI with Entra ID (Azure).</summary>
public sealed class BlobStorageConnectionTests
{
    private const string Azurite = "UseDevelopmentStorage=true";

    [Fact]
    public void CreateClient_ConnectionStringSet_UsesTheConnectionString()
    {
        var client = BlobStorageConnection.CreateClient(Configuration(("ConnectionStrings:blobs", Azurite)));

        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), client.Uri);
        Assert.True(client.CanGenerateAccountSasUri);
    }

    [Fact]
    public void CreateClient_ServiceUriOnly_UsesTheUriWithTheCredential()
    {
        var client = BlobStorageConnection.CreateClient(
            Configuration(("Storage:BlobServiceUri", "https://stexample.blob.core.windows.net/")), new FixedCredential());

        Assert.Equal(new Uri("https://stexample.blob.core.windows.net/"), client.Uri);
        Assert.Equal("stexample", client.AccountName);
        Assert.False(client.CanGenerateAccountSasUri); // no shared key: a token credential
    }

    [Fact]
    public void CreateClient_ServiceUriWithoutCredential_UsesDefaultAzureCredential()
    {
        var client = BlobStorageConnection.CreateClient(Configuration(("Storage:BlobServiceUri", "https://stexample.blob.core.windows.net/")));

        Assert.Equal("stexample", client.AccountName);
        Assert.False(client.CanGenerateAccountSasUri);
    }

    [Fact]
    public void CreateClient_BothSet_ConnectionStringWins()
    {
        var client = BlobStorageConnection.CreateClient(
            Configuration(("ConnectionStrings:blobs", Azurite), ("Storage:BlobServiceUri", "https://stexample.blob.core.windows.net/")), new FixedCredential());

        Assert.Equal("devstoreaccount1", client.AccountName);
    }

    [Fact]
    public void CreateClient_NeitherSet_ThrowsNamingBothKeys()
    {
        var error = Assert.Throws<InvalidOperationException>(() => BlobStorageConnection.CreateClient(Configuration()));

        Assert.Contains("ConnectionStrings:blobs", error.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:BlobServiceUri", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://stexample.blob.core.windows.net/")]
    [InlineData("stexample.blob.core.windows.net")]
    public void CreateClient_ServiceUriNotAbsoluteHttps_Throws(string uri)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            BlobStorageConnection.CreateClient(Configuration(("Storage:BlobServiceUri", uri)), new FixedCredential()));

        Assert.Contains("https", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    private sealed class FixedCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("token", DateTimeOffset.MaxValue);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }
}
