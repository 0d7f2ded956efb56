using Azure.Core;
using BeneficialRL.SiloHost.Hosting;
using Microsoft.Extensions.Configuration;

namespace BeneficialRL.Api.Tests;

/// <summary>The silo host's choice of blob and table clients: a connection string (Azurite), or service URIs with Entra ID (Azure).</summary>
public sealed class StorageAccountConnectionTests
{
    private const string Azurite = "UseDevelopmentStorage=true";

    [Fact]
    public void CreateClient_ConnectionStringSet_UsesTheConnectionString()
    {
        var client = StorageAccountConnection.CreateBlobClient(Configuration(("ConnectionStrings:blobs", Azurite)));

        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), client.Uri);
        Assert.True(client.CanGenerateAccountSasUri);
    }

    [Fact]
    public void CreateClient_ServiceUriOnly_UsesTheUriWithTheCredential()
    {
        var client = StorageAccountConnection.CreateBlobClient(
            Configuration(("Storage:BlobServiceUri", "https://stexample.blob.core.windows.net/")), new FixedCredential());

        Assert.Equal(new Uri("https://stexample.blob.core.windows.net/"), client.Uri);
        Assert.Equal("stexample", client.AccountName);
        Assert.False(client.CanGenerateAccountSasUri); // no shared key: a token credential
    }

    [Fact]
    public void CreateClient_ServiceUriWithoutCredential_UsesDefaultAzureCredential()
    {
        var client = StorageAccountConnection.CreateBlobClient(Configuration(("Storage:BlobServiceUri", "https://stexample.blob.core.windows.net/")));

        Assert.Equal("stexample", client.AccountName);
        Assert.False(client.CanGenerateAccountSasUri);
    }

    [Fact]
    public void CreateClient_BothSet_ConnectionStringWins()
    {
        var client = StorageAccountConnection.CreateBlobClient(
            Configuration(("ConnectionStrings:blobs", Azurite), ("Storage:BlobServiceUri", "https://stexample.blob.core.windows.net/")), new FixedCredential());

        Assert.Equal("devstoreaccount1", client.AccountName);
    }

    [Fact]
    public void CreateClient_NeitherSet_ThrowsNamingBothKeys()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageAccountConnection.CreateBlobClient(Configuration()));

        Assert.Contains("ConnectionStrings:blobs", error.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:BlobServiceUri", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://stexample.blob.core.windows.net/")]
    [InlineData("stexample.blob.core.windows.net")]
    public void CreateClient_ServiceUriNotAbsoluteHttps_Throws(string uri)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            StorageAccountConnection.CreateBlobClient(Configuration(("Storage:BlobServiceUri", uri)), new FixedCredential()));

        Assert.Contains("https", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateTableClient_AccountConnectionStringOnly_UsesItsTableEndpoint()
    {
        var client = StorageAccountConnection.CreateTableClient(Configuration(("ConnectionStrings:blobs", Azurite)));

        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), client.Uri);
    }

    [Fact]
    public void CreateTableClient_TablesConnectionString_WinsOverTheBlobsOne()
    {
        const string tables = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:20002/devstoreaccount1;";
        var client = StorageAccountConnection.CreateTableClient(Configuration(("ConnectionStrings:blobs", Azurite), ("ConnectionStrings:tables", tables)));

        Assert.Equal(new Uri("http://127.0.0.1:20002/devstoreaccount1"), client.Uri);
    }

    [Fact]
    public void CreateTableClient_BlobServiceUriOnly_DerivesTheTableServiceUri()
    {
        var client = StorageAccountConnection.CreateTableClient(
            Configuration(("Storage:BlobServiceUri", "https://stexample.blob.core.windows.net/")), new FixedCredential());

        Assert.Equal(new Uri("https://stexample.table.core.windows.net/"), client.Uri);
    }

    [Fact]
    public void CreateTableClient_TableServiceUriSet_UsesIt()
    {
        var client = StorageAccountConnection.CreateTableClient(
            Configuration(("Storage:BlobServiceUri", "https://stexample.blob.core.windows.net/"), ("Storage:TableServiceUri", "https://other.table.core.windows.net/")), new FixedCredential());

        Assert.Equal("other", client.AccountName);
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
