using System.CommandLine;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using BeneficialRL.AppHost.Dashboard;
using BeneficialRL.AppHost.Experiments;
using BeneficialRL.AppHost.Options;
using BeneficialRL.AppHost.Resources;
using BeneficialRL.AppHost.Terminal;
using BeneficialRL.LocalInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

// The Aspire host handles SIGINT/SIGTERM (it stops DCP, which stops every resource), so System.CommandLine must not.
return await AppHostCommandLine.Create(RunAsync).Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

static async Task<int> RunAsync(AppHostOptions options, CancellationToken cancellationToken)
{
    var console = new ResourceConsole(AnsiConsole.Console);
    string apiKey, azurite;
    bool keyCreated;
    try
    {
        (apiKey, keyCreated) = LocalApiKey.LoadOrCreate(options.DataDirectory);
        if (keyCreated)
        {
            console.Info($"generated a local API key in {Markup.Escape(Path.Combine(options.DataDirectory, LocalApiKey.FileName))}");
        }

        azurite = await AzuriteInstaller.EnsureInstalledAsync(line => console.Line("npm", line), cancellationToken);
    }
    catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException or InvalidOperationException)
    {
        console.Error(exception.Message);
        return 1;
    }

    var apiPort = options.ApiPort;
    if (!PortProbe.IsFree(apiPort))
    {
        apiPort = FreePorts.Next();
        console.Warn($"port {options.ApiPort} is busy: the API listens on port {apiPort} instead.");
    }

    var dashboard = DashboardSettings.Resolve();
    // Stopping waits until DCP has stopped every resource, so no process outlives the AppHost (by default DCP cleans up
    // after the AppHost has exited, seconds later).
    var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = [.. dashboard.ToArguments(), "--DcpPublisher:WaitForResourceCleanup=true"] });
    builder.Services.AddSingleton(console);
    builder.Services.AddSingleton<SiloWatch>();
    var stack = builder.AddBeneficialRL(new StackSettings
    {
        Trainers = options.Trainers,
        TorchThreadsPerTrainer = AppHostOptions.TorchThreadsPerTrainer(Environment.ProcessorCount, options.Trainers),
        ApiPort = apiPort,
        AzuriteEntryPoint = azurite,
        AzuriteDataDirectory = Path.Combine(options.DataDirectory, "azurite"),
        ApiKey = apiKey,
    });
    stack.Api.WithRunExperimentCommand(ExperimentChoices.Default, apiKey);

    await using var app = builder.Build();
    var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
    var watch = app.Services.GetRequiredService<SiloWatch>();
    var silos = stack.Silos.Select(s => s.Resource.Name).ToList();
    await app.StartAsync(cancellationToken);
    var watching = watch.WatchAsync(silos);
    if (options.ShowLogs)
    {
        _ = ResourceLogEcho.Start(app.Services.GetRequiredService<ResourceLoggerService>(), [stack.Storage.Resource, .. stack.Silos.Select(s => s.Resource)], console, lifetime.ApplicationStopping);
    }

    using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
    try
    {
        console.Info($"waiting for {string.Join(", ", silos)} to answer /health/ready");
        await Task.WhenAll(silos.Select(name => app.ResourceNotifications.WaitForResourceHealthyAsync(name, stop.Token)));
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
        // Ctrl+C or a silo's death during start-up.
        return await StopAsync(app, console, watch, watching, outcome: 0);
    }

    var apiBase = new Uri(stack.Api.GetEndpoint(BeneficialRLStack.HttpEndpointName).Url.TrimEnd('/') + "/");
    ReadySummary.Render(console, apiBase, stack, dashboard, apiKey, options.DataDirectory, keepsRunning: !options.ExitWhenDone,
        showKey: keyCreated && !Console.IsOutputRedirected); // printed whole once, on a terminal; never into a log file
    if (options.Experiment == ExperimentChoices.None)
    {
        if (options.ExitWhenDone)
        {
            console.Info("--exit-when-done with --experiment none: every silo is healthy; stopping.");
            return await StopAsync(app, console, watch, watching, outcome: 0);
        }

        await app.WaitForShutdownAsync(CancellationToken.None);
        return await StopAsync(app, console, watch, watching, outcome: 0);
    }

    int outcome;
    try
    {
        outcome = await new ExperimentMainJob(console, apiBase, apiKey, options.DataDirectory).RunAsync(options.Experiment, options.Persistence, stop.Token);
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
        // Ctrl+C or a silo's death while the experiment ran: its state is in Azurite under the data folder.
        return await StopAsync(app, console, watch, watching, outcome: 0);
    }
    catch (Exception exception) when (exception is BeneficialRL.Client.BeneficialRLApiException or HttpRequestException or InvalidOperationException or System.Text.Json.JsonException)
    {
        console.Error($"the experiment could not be followed: {exception.Message}");
        outcome = 2;
    }

    if (options.ExitWhenDone)
    {
        console.Info($"--exit-when-done: the experiment is done; stopping (exit code {outcome}).");
        return await StopAsync(app, console, watch, watching, outcome);
    }

    console.Info("The stack keeps serving the API, the report and the dashboard. Press Ctrl+C to stop.");
    await app.WaitForShutdownAsync(CancellationToken.None);
    return await StopAsync(app, console, watch, watching, outcome);
}

// Stops DCP and with it every resource; a silo that died on its own makes the exit code 1.
static async Task<int> StopAsync(DistributedApplication app, ResourceConsole console, SiloWatch watch, Task watching, int outcome)
{
    await app.StopAsync(CancellationToken.None);
    await watching;
    console.Info("every resource is stopped");
    return watch.Failure is null ? outcome : 1;
}
