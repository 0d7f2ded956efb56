using System.CommandLine;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.AppHost.Options;

/// <summary>The AppHost's command line: its options, their validation, and how they become <see cref="AppHostOptions"/>.</summary>
public static class AppHostCommandLine
{
    /// <summary>Builds the root command; <paramref name="run"/> receives the validated options.</summary>
    public static RootCommand Create(Func<AppHostOptions, CancellationToken, Task<int>> run)
    {
        var trainers = new Option<int>("--trainers")
        {
            Description = "Trainer silos next to the API silo, each running libtorch on cores ÷ N threads. 0: one silo with both roles; N: one api silo and N trainer silos (membership and reminders on Azurite's tables either way). Default: one per core, up to 4 (0 on one core).",
            DefaultValueFactory = _ => AppHostOptions.DefaultTrainers(Environment.ProcessorCount),
        };
        trainers.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > AppHostOptions.MaxTrainers)
            {
                result.AddError($"--trainers must be between 0 and {AppHostOptions.MaxTrainers}.");
            }
        });
        var port = new Option<int>("--port")
        {
            Description = "HTTP port of the API silo; a free one is used (and named) when it is busy.",
            DefaultValueFactory = _ => AppHostOptions.DefaultApiPort,
        };
        port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 65535)
            {
                result.AddError("--port must be between 1 and 65535.");
            }
        });
        var dataDirectory = new Option<DirectoryInfo>("--data-dir")
        {
            Description = "Folder for Azurite's data and the local API key, so runs survive restarts. Default: {repository}/.data.",
        };
        var exitWhenDone = new Option<bool>("--exit-when-done")
        {
            Description = "Stop everything and exit once the experiment is done (exit code 0 when it completed, 2 when it failed or was cancelled); with --experiment none, once every silo is healthy.",
        };
        var experiment = new Option<string>("--experiment")
        {
            Description = $"Experiment preset to run through the REST API once the stack is up (default: {ExperimentChoices.Default}); 'none' only starts the stack.",
            DefaultValueFactory = _ => ExperimentChoices.Default,
        };
        experiment.AcceptOnlyFromAmong(ExperimentChoices.Names);
        var persistence = new Option<string?>("--persistence")
        {
            Description = "Also run the persistence tests after training (adversarial personas and transforms, harmful fine-tuning dose ladders) at this size: default, demo or quick.",
        };
        persistence.AcceptOnlyFromAmong("default", "demo", "quick");

        var showLogs = new Option<bool>("--show-logs")
        {
            Description = "Also print every resource's console log (Azurite, silos) to the terminal, prefixed with its name; the Aspire dashboard shows them either way.",
        };

        var root = new RootCommand("Runs BeneficialRL locally under .NET Aspire: Azurite and the silo hosts, the Aspire dashboard, then an experiment; stops them all on Ctrl+C.")
        {
            trainers, port, dataDirectory, exitWhenDone, experiment, persistence, showLogs,
        };
        root.Validators.Add(result =>
        {
            // Each experiment of the set is sized without the persistence tests; adding them would break its time budget.
            if (result.GetValue(experiment) == ExperimentChoices.ValidateTestbed && result.GetValue(persistence) is not null)
            {
                result.AddError($"--persistence does not apply to --experiment {ExperimentChoices.ValidateTestbed}: its experiments are sized without the persistence tests.");
            }
        });
        root.SetAction((parse, cancellationToken) => run(
            new AppHostOptions
            {
                Trainers = parse.GetValue(trainers),
                ApiPort = parse.GetValue(port),
                DataDirectory = parse.GetValue(dataDirectory)?.FullName ?? Path.Combine(RepositoryLayout.FindRoot(), ".data"),
                ExitWhenDone = parse.GetValue(exitWhenDone),
                Experiment = parse.GetValue(experiment) ?? ExperimentChoices.Default,
                Persistence = parse.GetValue(persistence),
                ShowLogs = parse.GetValue(showLogs),
            },
            cancellationToken));
        return root;
    }
}
