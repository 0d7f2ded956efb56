using BeneficialRL.AppHost.Dashboard;
using BeneficialRL.AppHost.Resources;
using BeneficialRL.LocalInfrastructure;
using Spectre.Console;

namespace BeneficialRL.AppHost.Terminal;

/// <summary>The panel printed once every silo is ready: where the API and the dashboards are and how to call them.</summary>
public static class ReadySummary
{
    /// <summary>The line that follows the panel; scripts and tests wait for it.</summary>
    public const string ReadyLine = "BeneficialRL is ready.";

    /// <summary>
    /// Renders the panel for the API at <paramref name="apiBase"/> and the silos of <paramref name="stack"/>;
    /// <paramref name="keepsRunning"/> adds how to stop. The key is shown whole only when <paramref name="showKey"/>
    /// (the run that generated it, on a terminal); otherwise masked, with the file that holds it, so logs of redirected
    /// output never carry the secret.
    /// </summary>
    public static void Render(ResourceConsole console, Uri apiBase, BeneficialRLResources stack, DashboardSettings dashboard, string apiKey, string dataDirectory, bool keepsRunning, bool showKey)
    {
        var keyFile = Path.Combine(dataDirectory, LocalApiKey.FileName);
        var baseUrl = apiBase.ToString().TrimEnd('/');
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        Row(grid, "Research dashboard", $"{baseUrl}/ (sign in with the local API key)");
        Row(grid, "Aspire dashboard", dashboard.LoginUrl);
        Row(grid, "API base URL", $"{baseUrl}/api/v1");
        Row(grid, "OpenAPI document", $"{baseUrl}/openapi/v1.json");
        Row(grid, "Orleans dashboard", $"{baseUrl}/orleans-dashboard/ (admin key)");
        Row(grid, "Local API key", showKey ? apiKey : $"{LocalApiKey.Mask(apiKey)} (in {keyFile})");
        Row(grid, "Data directory", dataDirectory);
        foreach (var silo in stack.Silos)
        {
            Row(grid, $"Silo {silo.Resource.Name}", $"health {silo.GetEndpoint(BeneficialRLStack.HttpEndpointName).Url}/health/ready");
        }

        Row(grid, "Example", $"curl -H \"Authorization: Bearer $(cat {keyFile})\" {baseUrl}/api/v1/experiments");
        console.Render(new Panel(grid).Header("BeneficialRL (local)").RoundedBorder().BorderColor(Color.Green));
        console.Info($"[green]{Markup.Escape(ReadyLine)}[/]{(keepsRunning ? " Press Ctrl+C to stop." : string.Empty)}");
    }

    private static void Row(Grid grid, string label, string value) =>
        grid.AddRow(new Markup($"[bold]{Markup.Escape(label)}[/]"), new Text(value));
}
