using System.Net.Http.Json;
using System.Text.Json;
using BeneficialRL.Api.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BeneficialRL.Dashboard.Tests.Infrastructure;

/// <summary>
/// What every dashboard test shares: the API tests' silo host (real Azurite, api + trainer roles), one tenant with
/// one real <c>quick</c> experiment started at once (tests that need its results await <see cref="CompletedAsync"/>),
/// and one headless Debian chromium driven by Playwright. Disposing closes the browser and Playwright's node driver,
/// so no chromium or node process outlives the run.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>Debian's chromium; Playwright's own browser download is not reachable from these machines.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Without the background-networking flags chromium keeps calling Google services, which floods a closed network.</summary>
    public static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private Task<JsonElement>? _completed;
    private IPlaywright? _playwright;

    /// <summary>The silo host.</summary>
    public ApiFixture Api { get; } = new();

    /// <summary>The tenant's key (every scope).</summary>
    public string Key { get; private set; } = null!;

    /// <summary>The quick experiment's id.</summary>
    public string ExperimentId { get; private set; } = null!;

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where pages are screenshotted when <c>BRL_DASHBOARD_SCREENSHOTS</c> names a folder (eng/dashboard-screenshots.sh).</summary>
    public static string? ScreenshotFolder => Environment.GetEnvironmentVariable("BRL_DASHBOARD_SCREENSHOTS") is { Length: > 0 } dir ? dir : null;

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: install it with 'apt-get install -y --no-install-recommends chromium' (eng/test.sh does).");
        await Api.InitializeAsync();
        Key = (await Api.CreateKeyAsync()).Key;
        using var client = Api.Client(Key);
        var created = await client.PostAsJsonAsync("/api/v1/experiments", new { preset = "quick", labels = new Dictionary<string, string> { ["preset"] = "quick", ["suite"] = "dashboard-tests" } }, TestContext.Current.CancellationToken);
        created.EnsureSuccessStatusCode();
        ExperimentId = (await created.JsonAsync()).GetProperty("id").GetString()!;
        _completed = WaitForTerminalAsync(ExperimentId);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
    }

    /// <summary>The quick experiment once it completed (fails the awaiting test when it did not).</summary>
    public async Task<JsonElement> CompletedAsync()
    {
        var experiment = await _completed!;
        Assert.True(experiment.GetProperty("status").GetString() == "completed", experiment.GetRawText());
        return experiment;
    }

    /// <summary>A page of a fresh browser context (its own session storage), signed in with <paramref name="key"/> unless null.</summary>
    public async Task<IPage> NewPageAsync(string? key)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 }, BaseURL = Api.BaseAddress.ToString() });
        if (key is not null)
            await context.AddInitScriptAsync($"sessionStorage.setItem('brl.apiKey', {JsonSerializer.Serialize(key)});");
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    /// <summary>Polls the experiment until it ends; the limit names what was awaited.</summary>
    public async Task<JsonElement> WaitForTerminalAsync(string id, TimeSpan? limit = null)
    {
        using var client = Api.Client(Key);
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromMinutes(9));
        while (true)
        {
            // Not the tests' JsonAsync: this poll outlives the fixture's initialisation context, which that reads.
            var experiment = await (await client.GetAsync($"/api/v1/experiments/{id}")).Content.ReadFromJsonAsync<JsonElement>();
            if (experiment.GetProperty("status").GetString() is "completed" or "failed" or "cancelled") return experiment;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Experiment {id} did not finish within {limit ?? TimeSpan.FromMinutes(9)}: {experiment.GetRawText()}");
            await Task.Delay(1000);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await Api.DisposeAsync();
    }
}

/// <summary>The collection sharing one <see cref="DashboardFixture"/>: its tests run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    /// <summary>Collection name.</summary>
    public const string Name = "dashboard";
}
