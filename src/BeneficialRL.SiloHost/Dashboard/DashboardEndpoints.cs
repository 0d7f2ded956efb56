using Microsoft.Extensions.FileProviders;

namespace BeneficialRL.SiloHost.Dashboard;

/// <summary>
/// The researcher's dashboard: static files (an HTML shell, ES modules, CSS, uPlot) that read the same REST API as any
/// client, with the key the user signs in with. The files carry no data and need no authentication; every piece of
/// data comes from <c>/api/v1</c>, tenant-scoped by the key exactly like any other caller's request.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>Where the dashboard's assets are served (the page itself is <c>/</c>).</summary>
    public const string AssetsPath = "/ui";

    /// <summary>The folder of the build output the files are copied to (see <c>Dashboard/Dashboard.targets</c>).</summary>
    public static string FilesFolder => Path.Combine(AppContext.BaseDirectory, "dashboard");

    /// <summary>Serves <c>/</c> (the page) and <c>/ui/*</c> (its assets) when the files are in the build output.</summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        var folder = FilesFolder;
        if (!File.Exists(Path.Combine(folder, "index.html")))
        {
            // A host built without the front end (e.g. a trimmed test output) still serves the API.
            app.Logger.LogWarning("The dashboard's files are not in {Folder}; / is not served.", folder);
            return app;
        }

        var files = new PhysicalFileProvider(folder);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = AssetsPath,
            // The assets change with each build; revalidate rather than cache stale modules across an upgrade.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        app.MapGet("/", () => Results.File(Path.Combine(folder, "index.html"), "text/html; charset=utf-8"))
            .ExcludeFromDescription();
        return app;
    }
}
