using System.Net.Http.Json;
using System.Text.Json;
using BeneficialRL.Api.Tests.Infrastructure;
using BeneficialRL.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BeneficialRL.Dashboard.Tests;

/// <summary>
/// The dashboard in a real browser against a real silo host: sign-in, tenant isolation, every page on the data of a
/// real <c>quick</c> experiment, a live update arriving while an experiment runs, the paired drill-down and the create
/// form's validation errors.
/// </summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class DashboardTests(DashboardFixture fixture)
{
    private static readonly LocatorAssertionsToContainTextOptions Long = new() { Timeout = 30_000 };

    [Fact]
    public async Task SignIn_WithTheTenantsKey_ListsItsExperiment_AndARefusedKeyStaysOnTheForm()
    {
        var page = await fixture.NewPageAsync(null);
        await page.GotoAsync("/");
        await page.FillAsync("#api-key", "brl_not-a-key");
        await page.ClickAsync("form.signin button[type=submit]");
        await Assertions.Expect(page.Locator("#api-key-error")).ToContainTextAsync("refused");

        await page.FillAsync("#api-key", fixture.Key);
        await page.Keyboard.PressAsync("Enter"); // keyboard only
        var row = page.Locator($"#experiments tr[data-id='{fixture.ExperimentId}']");
        await Assertions.Expect(row).ToContainTextAsync("quick");
        await Assertions.Expect(row).ToContainTextAsync("2 × 1");
        Assert.Equal(fixture.Key, await page.EvaluateAsync<string>("sessionStorage.getItem('brl.apiKey')"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ExperimentOfAnotherTenant_ShowsTheNotFoundPage_AndNoneOfItsData()
    {
        var (_, otherKey, _) = await fixture.Api.CreateKeyAsync();
        var page = await fixture.NewPageAsync(otherKey);
        foreach (var path in new[] { $"/#/experiments/{fixture.ExperimentId}", $"/#/experiments/{fixture.ExperimentId}/results", $"/#/experiments/{fixture.ExperimentId}/items" })
        {
            await page.GotoAsync(path);
            await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("Not found");
        }

        await page.GotoAsync("/#/");
        await Assertions.Expect(page.Locator("#experiments")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator($"tr[data-id='{fixture.ExperimentId}']").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ExperimentsPage_CompletedQuick_ShowsStatusPresetAndHeadline_AndFiltersByStatusAndLabel()
    {
        await fixture.CompletedAsync();
        var page = await fixture.NewPageAsync(fixture.Key);
        await page.GotoAsync("/");
        var row = page.Locator($"#experiments tr[data-id='{fixture.ExperimentId}']");
        await Assertions.Expect(row).ToContainTextAsync("completed");
        await Assertions.Expect(row.Locator("td.headline")).ToContainTextAsync("OOD", Long);
        await Screenshot(page, "experiments");

        await page.SelectOptionAsync("#filter-status", "failed");
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await page.SelectOptionAsync("#filter-status", "");
        await page.FillAsync("#filter-label", "suite=dashboard-tests");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await page.FillAsync("#filter-label", "suite=other");
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ExperimentPage_CompletedQuick_ShowsStagesJobsCurvesHeldOutComputeAndPreflight()
    {
        await fixture.CompletedAsync();
        var page = await fixture.NewPageAsync(fixture.Key);
        await page.GotoAsync($"/#/experiments/{fixture.ExperimentId}");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("completed");
        await Assertions.Expect(page.Locator("table.jobs")).ToContainTextAsync("train.treatment-s1");
        await Assertions.Expect(page.Locator("table.jobs")).ToContainTextAsync("train.baseline-s1");
        foreach (var title in new[] { "Reward (TRL: reward)", "KL to the base model (TRL: kl)", "Entropy (TRL: entropy)", "Zero-variance groups (TRL: frac_reward_zero_std)", "Clipped tokens (TRL: clip_ratio)", "Completion length (TRL: completions/mean_length)", "Held-out trait score at each checkpoint" })
            await Assertions.Expect(page.Locator($"figure[data-figure='{title}'] canvas")).ToHaveCountAsync(1);
        // Both runs of the quick preset drew 4 steps: the reward chart's legend names them.
        await Assertions.Expect(page.Locator("figure[data-figure='Reward (TRL: reward)'] .u-legend")).ToContainTextAsync("treatment s1");
        await Assertions.Expect(page.Locator("figure[data-figure='Reward (TRL: reward)'] .u-legend")).ToContainTextAsync("baseline s1");
        await Assertions.Expect(page.Locator("#compute-mismatch")).ToContainTextAsync("tokens generated");
        await Assertions.Expect(page.Locator("table.preflight tbody tr").First).ToBeVisibleAsync();
        await Screenshot(page, "experiment");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ResultsPage_CompletedQuick_ShowsHeadlineWithIntervalsForestPlotCheckpointStructureAndDataLinks()
    {
        await fixture.CompletedAsync();
        using var client = fixture.Api.Client(fixture.Key);
        var report = await (await client.GetAsync($"/api/v1/experiments/{fixture.ExperimentId}/report")).JsonAsync();
        var benchmarks = report.GetProperty("analysis").GetProperty("comparisons")[0].GetProperty("oodSeedLevel").GetProperty("benchmarks").GetArrayLength();

        var page = await fixture.NewPageAsync(fixture.Key);
        await page.GotoAsync($"/#/experiments/{fixture.ExperimentId}/results");
        var headline = page.Locator("table.headline-table tbody tr");
        await Assertions.Expect(headline).ToHaveCountAsync(1);
        await Assertions.Expect(headline).ToContainTextAsync("treatment");
        await Assertions.Expect(headline).ToContainTextAsync("["); // estimates carry their interval
        Assert.Equal(benchmarks, await page.Locator("#forest-treatment svg.forest text.label").CountAsync());
        Assert.True(await page.Locator("button.data").CountAsync() >= 2);
        // The checkpoint structure as figures: one point per evaluated checkpoint on the principal components, and
        // the correlation matrix with a row per held-out benchmark.
        var structure = report.GetProperty("analysis").GetProperty("checkpointStructure");
        Assert.Equal(structure.GetProperty("checkpoints").GetArrayLength(), await page.Locator("svg.scatter circle").CountAsync());
        Assert.Equal(structure.GetProperty("spearman").GetProperty("benchmarks").GetArrayLength(),
            await page.Locator("figure[data-figure^='Spearman'] table.heatmap tbody tr").CountAsync());

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#forest-treatment button.data").ClickAsync());
        var saved = Path.Combine(Path.GetTempPath(), $"forest-{Guid.NewGuid():N}.json");
        await download.SaveAsAsync(saved);
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(saved, TestContext.Current.CancellationToken)))
            Assert.Equal(benchmarks, json.RootElement.GetProperty("benchmarks").GetArrayLength());
        File.Delete(saved);
        await Screenshot(page, "results");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PairedDrillDown_AnItem_ShowsBothArmsSideBySideWithTheGradersVerdicts()
    {
        await fixture.CompletedAsync();
        using var client = fixture.Api.Client(fixture.Key);
        var summary = await (await client.GetAsync($"/api/v1/experiments/{fixture.ExperimentId}/paired")).JsonAsync();
        Assert.Equal("baseline", summary.GetProperty("baseline").GetString());
        // A generated-and-graded benchmark, so the item shows answers and verdicts (an mc one shows option probabilities).
        var benchmark = await FirstGeneratedBenchmarkAsync(client, summary);

        var page = await fixture.NewPageAsync(fixture.Key);
        await page.GotoAsync($"/#/experiments/{fixture.ExperimentId}/items");
        await Assertions.Expect(page.Locator("table.paired-benchmarks tbody tr")).ToHaveCountAsync(summary.GetProperty("benchmarks").GetArrayLength());
        await page.Locator("table.paired-benchmarks a", new PageLocatorOptions { HasTextString = benchmark }).First.ClickAsync();
        var first = page.Locator("#paired-items li.item").First;
        await first.Locator("summary").First.ClickAsync();
        await Assertions.Expect(first.Locator(".side-by-side .column[data-arm='baseline'] .sample").First).ToBeVisibleAsync();
        await Assertions.Expect(first.Locator(".side-by-side .column[data-arm='treatment'] .sample").First).ToBeVisibleAsync();
        await Assertions.Expect(first.Locator(".side-by-side .column[data-arm='treatment'] .verdict").First).ToContainTextAsync(":");
        await Screenshot(page, "paired-items");

        // Items are sorted by the difference, largest gain first, as the API pages them.
        var items = await (await client.GetAsync($"/api/v1/experiments/{fixture.ExperimentId}/paired/{benchmark}/items?limit=200")).JsonAsync();
        var differences = items.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("paired").GetProperty("difference").GetDouble()).ToList();
        Assert.Equal(differences.OrderByDescending(d => d).ToList(), differences);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task CompletionsPage_CompletedQuick_ShowsRecordedGroupsWithRewardsAdvantagesAndVerdicts()
    {
        await fixture.CompletedAsync();
        using var client = fixture.Api.Client(fixture.Key);
        var all = await (await client.GetAsync($"/api/v1/experiments/{fixture.ExperimentId}/runs/treatment-s1/samples?limit=200")).JsonAsync();
        // quick: 4 steps, checkpoints every 2: the first, the checkpoint-interval and the last step are recorded.
        Assert.Equal([0L, 2, 3], all.GetProperty("recordedSteps").EnumerateArray().Select(s => s.GetInt64()).ToArray());
        foreach (var group in all.GetProperty("items").EnumerateArray())
        {
            var completions = group.GetProperty("completions").EnumerateArray().ToList();
            Assert.Equal(3, completions.Count); // the preset's group size
            Assert.InRange(completions.Sum(c => c.GetProperty("advantage").GetDouble()), -1e-6, 1e-6); // GRPO's advantages centre each group
        }

        Assert.Contains(all.GetProperty("items").EnumerateArray(), g => g.GetProperty("completions")[0].GetProperty("criteria").GetArrayLength() > 0);

        var page = await fixture.NewPageAsync(fixture.Key);
        await page.GotoAsync($"/#/experiments/{fixture.ExperimentId}/completions?run=treatment-s1");
        await Assertions.Expect(page.Locator("#sampled-groups li.group").First).ToBeVisibleAsync();
        Assert.Equal(3, await page.Locator("#sampled-groups li.group").First.Locator("table.completions tbody tr").CountAsync());
        await Screenshot(page, "completions");
        await page.SelectOptionAsync("#samples-step", "2");
        await Assertions.Expect(page.Locator("#sampled-groups li.group[data-step='0']")).ToHaveCountAsync(0);
        Assert.True(await page.Locator("#sampled-groups li.group[data-step='2']").CountAsync() > 0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task CheckpointsAndBenchmarksPages_ShowLineageFromTheBaseAndTheCatalogue()
    {
        await fixture.CompletedAsync();
        var page = await fixture.NewPageAsync(fixture.Key);
        await page.GotoAsync("/#/checkpoints");
        var final = page.Locator($"#lineage li[data-checkpoint='{fixture.ExperimentId}-treatment-s1-step00004']");
        await Assertions.Expect(final).ToBeVisibleAsync();
        // Lineage: the final checkpoint sits under step 2, which sits under the base.
        await Assertions.Expect(page.Locator($"li[data-checkpoint^='base-'] li[data-checkpoint='{fixture.ExperimentId}-treatment-s1-step00002'] li[data-checkpoint='{fixture.ExperimentId}-treatment-s1-step00004']")).ToHaveCountAsync(1);
        await Screenshot(page, "checkpoints");

        await page.GotoAsync("/#/benchmarks");
        var rows = page.Locator("table.benchmarks tbody tr");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
        Assert.True(await rows.CountAsync() >= 50);
        await rows.First.Locator("summary").ClickAsync();
        await Assertions.Expect(rows.First.Locator("ol li").First).ToBeVisibleAsync();
        await Screenshot(page, "benchmarks", fullPage: false); // the catalogue is long: its first screen shows the shape
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task CreateForm_InvalidDefinition_ShowsTheProblemNextToTheField_AndAPresetCreates()
    {
        var page = await fixture.NewPageAsync(fixture.Key);
        await page.GotoAsync("/");
        await page.SelectOptionAsync("#create-mode", "definition");
        await page.SelectOptionAsync("#create-template", "quick");
        await page.ClickAsync("text=Start from preset");
        var definition = await page.InputValueAsync("#create-definition");
        using var doc = JsonDocument.Parse(definition);
        // Zero RL steps: the validator names $.definition.budget.steps.
        await page.FillAsync("#create-definition", definition.Replace("\"steps\": 4,", "\"steps\": 0,", StringComparison.Ordinal));
        await page.ClickAsync("form#create button[type=submit]");
        var error = page.Locator("#create-definition-error");
        await Assertions.Expect(error).ToContainTextAsync("$.definition.budget.steps");
        Assert.Equal("create-definition", await page.EvaluateAsync<string>("document.activeElement.id"));
        await Screenshot(page, "create-validation");

        await page.FillAsync("#create-definition", "{ not json");
        await page.ClickAsync("form#create button[type=submit]");
        await Assertions.Expect(error).ToContainTextAsync("Not JSON");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ExperimentPage_WhileItRuns_ShowsLiveEventsWithoutReloading()
    {
        using var client = fixture.Api.Client(fixture.Key);
        var created = await client.PostAsJsonAsync("/api/v1/experiments", new { preset = "quick", name = "live" }, TestContext.Current.CancellationToken);
        var id = (await created.JsonAsync()).GetProperty("id").GetString()!;
        var page = await fixture.NewPageAsync(fixture.Key);
        await page.GotoAsync($"/#/experiments/{id}");
        await Assertions.Expect(page.Locator("#status")).Not.ToHaveTextAsync("cancelled");
        await page.EvaluateAsync("window.__sameDocument = true");
        var before = await page.Locator("#events li").CountAsync();

        // A change made elsewhere (here: the API) reaches the open page through the event stream.
        (await client.PostAsync($"/api/v1/experiments/{id}/cancel", null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("cancelled", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#events li").First).ToContainTextAsync("cancelled");
        Assert.True(await page.Locator("#events li").CountAsync() > before);
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"));
        await page.Context.CloseAsync();
    }

    private async Task<string> FirstGeneratedBenchmarkAsync(HttpClient client, JsonElement summary)
    {
        foreach (var b in summary.GetProperty("benchmarks").EnumerateArray())
        {
            var id = b.GetProperty("benchmarkId").GetString()!;
            var page = await (await client.GetAsync($"/api/v1/experiments/{fixture.ExperimentId}/paired/{id}/items?limit=1")).JsonAsync();
            if (page.GetProperty("items")[0].GetProperty("paired").GetProperty("runs")[0].GetProperty("result").GetProperty("samples").GetArrayLength() > 0) return id;
        }

        throw new InvalidOperationException("The quick experiment paired no generated-and-graded benchmark.");
    }

    private static async Task Screenshot(IPage page, string name, bool fullPage = true)
    {
        if (DashboardFixture.ScreenshotFolder is not { } folder) return;
        Directory.CreateDirectory(folder);
        await page.WaitForTimeoutAsync(300); // charts draw on the next animation frame
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = fullPage });
    }
}
