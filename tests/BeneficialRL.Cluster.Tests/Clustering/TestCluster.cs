using System.Net.Http.Headers;
using BeneficialRL.Cluster.Tests.Infrastructure;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.Cluster.Tests.Clustering;

/// <summary>
/// Silo host processes of one test cluster (its own cluster id; membership on Azurite's tables), with an HTTP client per silo that
/// carries the cluster's bootstrap admin key.
/// </summary>
/// <remarks>The silos use the infrastructure's Azurite unless <paramref name="azurite"/> names another (e.g. one a chaos trial restarts).</remarks>
internal sealed class TestCluster(ClusterInfrastructure infrastructure, AzuriteServer? azurite = null) : IAsyncDisposable
{
    /// <summary>How long a silo may take to answer <c>/health/ready</c> on a busy 2-core machine.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The cluster (and service) id of this cluster's silos.</summary>
    public string ClusterId { get; } = "cluster-test-" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<SiloProcess> _silos = [];

    /// <summary>The storage account of this cluster's silos: blobs, and tables for membership and reminders.</summary>
    public AzuriteServer Azurite => azurite ?? infrastructure.Azurite;
    private readonly List<HttpClient> _clients = [];

    /// <summary>The admin key every silo of this cluster accepts.</summary>
    public string ApiKey { get; } = LocalApiKey.Generate();

    /// <summary>Starts a silo host named <paramref name="name"/> with <paramref name="roles"/> (and extra <paramref name="environment"/>) on free ports and waits until it is ready.</summary>
    public async Task<SiloProcess> StartAsync(string name, string[] roles, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var log = new OutputLog(name);
        var settings = SiloLaunchSettings.WithFreePorts(name, roles, Azurite.ConnectionString) with
        {
            ClusterId = ClusterId,
            ServiceId = ClusterId,
            BootstrapAdminKey = ApiKey,
            AdditionalEnvironment = environment ?? new Dictionary<string, string?>(),
        };
        var silo = await SiloProcess.StartAndWaitUntilReadyAsync(
            settings, TestBuild.SiloHostDll, log.Add, ReadyTimeout, onStarted: null, onRestart: log.Add, cancellationToken);
        lock (_silos)
        {
            _silos.Add(silo);
        }

        return silo;
    }

    /// <summary>An HTTP client for <paramref name="silo"/> that sends the admin key.</summary>
    public HttpClient ClientFor(SiloProcess silo)
    {
        var client = new HttpClient { BaseAddress = silo.Settings.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        _clients.Add(client);
        return client;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Task.WhenAll(_silos.Select(silo => silo.DisposeAsync().AsTask()));
    }
}
