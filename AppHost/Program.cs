using System.CommandLine;
using BeneficialRL.AppHost.Experiments;
using BeneficialRL.AppHost.Keys;
using BeneficialRL.AppHost.Options;
using BeneficialRL.AppHost.Resources;
using BeneficialRL.AppHost.Silos;
using BeneficialRL.AppHost.Terminal;
using BeneficialRL.Contracts.Cluster;
using Spectre.Console;

// The AppHost handles SIGINT/SIGTERM itself (it must outlive them to stop its children), so System.CommandLine must not.
return await AppHostCommandLine.Create(RunAsync).Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

static async Task<int> RunAsync(AppHostOptions options, CancellationToken cancellationToken)
{
    var console = new ResourceConsole(AnsiConsole.Console);
    string apiKey, siloHostDll;
    bool keyCreated;
    try
    {
        (apiKey, keyCreated) = LocalApiKey.LoadOrCreate(options.DataDirectory);
        if (keyCreated)
        {
            console.Info($"generated a local API key in {Markup.Escape(Path.Combine(options.DataDirectory, LocalApiKey.FileName))}");
        }

        siloHostDll = SiloHostBuild.LocateDll(SiloHostBuild.AppHostConfiguration);
    }
    catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException)
    {
        console.Error(exception.Message);
        return 1;
    }

    await using var app = new LocalAppHost(console, siloHostDll);

    // The storage account for everything durable: blobs (grain state, checkpoints, reports) and tables (cluster
    // membership, reminders). The real emulator, persisted in the data folder.
    var blobs = app.AddAzurite("azurite", Path.Combine(options.DataDirectory, "azurite"));

    // The silo that serves the REST API, OpenAPI and the dashboard; alone, it also trains.
    var api = app.AddSilo("silo-api", options.Trainers > 0 ? [SiloRoles.Api] : [SiloRoles.Api, SiloRoles.Trainer])
        .WithHttpPort(options.ApiPort)
        .WithReference(blobs)
        .WithBootstrapApiKey(apiKey);

    // Trainer silos host the training and evaluation grains, placed there by silo role.
    var trainers = Enumerable.Range(1, options.Trainers)
        .Select(i => app.AddSilo($"trainer-{i}", SiloRoles.Trainer).WithReference(blobs).WithBootstrapApiKey(apiKey))
        .ToList();

    try
    {
        await app.StartAsync(cancellationToken);
    }
    catch (OperationCanceledException) when (app.ShutdownRequested.IsCancellationRequested || cancellationToken.IsCancellationRequested)
    {
        // Ctrl+C or a child's death during start-up: DisposeAsync stops whatever started.
        return app.Failure is null ? 0 : 1;
    }
    catch (Exception exception) when (exception is SiloStartException or InvalidOperationException or IOException)
    {
        console.Error($"start-up failed: {exception.Message}");
        return 1;
    }

    ReadySummary.Render(console, api.Settings, [api.Settings, .. trainers.Select(t => t.Settings)], apiKey, options.DataDirectory, keepsRunning: !options.ExitWhenDone,
        showKey: keyCreated && !Console.IsOutputRedirected); // printed whole once, on a terminal; never into a log file
    if (options.Experiment == ExperimentPresets.None)
    {
        if (options.ExitWhenDone)
        {
            console.Info("--exit-when-done with --experiment none: every silo is healthy; stopping.");
            return 0;
        }

        return await app.WaitForShutdownAsync();
    }

    int outcome;
    using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.ShutdownRequested))
    {
        try
        {
            outcome = await new ExperimentMainJob(console, api.Settings.BaseAddress, apiKey, options.DataDirectory).RunAsync(options.Experiment, options.Persistence, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C or a child's death while the experiment ran: its state is in Azurite under the data folder.
            return app.Failure is null ? 0 : 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException)
        {
            console.Error($"the experiment could not be followed: {exception.Message}");
            outcome = 2;
        }
    }

    if (options.ExitWhenDone)
    {
        console.Info($"--exit-when-done: the experiment is done; stopping (exit code {outcome}).");
        return outcome;
    }

    console.Info("The stack keeps serving the API and the report. Press Ctrl+C to stop.");
    var shutdown = await app.WaitForShutdownAsync();
    return shutdown != 0 ? shutdown : outcome;
}
