using System.Net;
using System.Net.Sockets;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.Storage.Tests.LocalInfrastructure;

public sealed class LocalServersTests
{
    [Fact]
    public async Task AzuriteServer_StartThenDispose_AnswersThenLeavesNoProcess()
    {
        var azurite = await AzuriteServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var processId = azurite.ProcessId;
        Assert.True(ProcessProbe.IsRunning(processId));
        Assert.Contains($"BlobEndpoint=http://127.0.0.1:{azurite.BlobPort}/devstoreaccount1;", azurite.ConnectionString, StringComparison.Ordinal);
        Assert.Contains($"QueueEndpoint=http://127.0.0.1:{azurite.QueuePort}/devstoreaccount1;", azurite.ConnectionString, StringComparison.Ordinal);
        Assert.Contains($"TableEndpoint=http://127.0.0.1:{azurite.TablePort}/devstoreaccount1;", azurite.ConnectionString, StringComparison.Ordinal);

        await azurite.DisposeAsync();

        Assert.True(await ProcessProbe.ExitsAsync(processId), $"Azurite (pid {processId}) still runs after DisposeAsync");
    }

    [Fact]
    public async Task AzuriteServer_RestartedOverItsDataDirectory_ServesTheSameBlobsOnTheSamePortsFromANewProcess()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Directory.CreateTempSubdirectory("azurite-restart-");
        try
        {
            await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions { DataDirectory = data.FullName }, ct);
            var client = BeneficialRL.Storage.Blobs.BlobStorageClients.Create(azurite.ConnectionString).GetBlobContainerClient("restart");
            await client.CreateAsync(cancellationToken: ct);
            await client.UploadBlobAsync("kept.txt", BinaryData.FromString("still here"), ct);
            var (firstProcess, port) = (azurite.ProcessId, azurite.BlobPort);

            await azurite.RestartAsync(TimeSpan.FromMilliseconds(200), ct);

            Assert.True(await ProcessProbe.ExitsAsync(firstProcess), $"the first Azurite (pid {firstProcess}) still runs");
            Assert.Equal(port, azurite.BlobPort);
            var content = await client.GetBlobClient("kept.txt").DownloadContentAsync(ct);
            Assert.Equal("still here", content.Value.Content.ToString());
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task AzuriteServer_InMemoryRestart_IsRefusedBecauseItWouldLoseTheData()
    {
        await using var azurite = await AzuriteServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<InvalidOperationException>(() => azurite.RestartAsync(TimeSpan.Zero, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void FreePorts_Next_ReturnsDistinctBindablePorts()
    {
        var first = FreePorts.Next();
        var second = FreePorts.Next();

        using var listener = new TcpListener(IPAddress.Loopback, first);
        listener.Start();
        Assert.InRange(first, 1, 65535);
        Assert.InRange(second, 1, 65535);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void RepositoryLayout_FindRoot_FindsTheSolutionFolder()
    {
        var root = RepositoryLayout.FindRoot();

        Assert.True(File.Exists(Path.Combine(root, "BeneficialRL.sln")));
        Assert.Equal(Path.Combine(root, ".tools"), RepositoryLayout.ToolsDirectory);
    }

    [Fact]
    public async Task AzuriteInstaller_AlreadyInstalled_ReturnsEntryPointOfPinnedVersion()
    {
        var entryPoint = await AzuriteInstaller.EnsureInstalledAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(File.Exists(entryPoint));
        Assert.EndsWith(".js", entryPoint, StringComparison.Ordinal);
        Assert.StartsWith(AzuriteInstaller.InstallDirectory, entryPoint, StringComparison.Ordinal);
    }
}
