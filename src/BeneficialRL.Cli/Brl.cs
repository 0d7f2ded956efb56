using System.CommandLine;
using BeneficialRL.Cli.Commands;
using BeneficialRL.Client;

namespace BeneficialRL.Cli;

/// <summary>The <c>brl</c> command line: its commands, global options, and how outcomes become exit codes (<see cref="ExitCodes"/>).</summary>
public static class Brl
{
    /// <summary>The API address used when neither <c>--url</c> nor <c>BRL_URL</c> gives one (the AppHost's default port).</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Runs <c>brl</c> with <paramref name="args"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, BrlEnvironment environment, CancellationToken cancellationToken = default)
    {
        var options = new GlobalOptions(environment);
        var parse = Create(options).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await environment.Error.WriteLineAsync(error.Message);
            await environment.Error.WriteLineAsync("Run 'brl --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = environment.Out, Error = environment.Error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (BrlUsageException e)
        {
            await environment.Error.WriteLineAsync(e.Message);
            return ExitCodes.Usage;
        }
        catch (BeneficialRLApiException e)
        {
            await environment.Error.WriteLineAsync("error: " + e.Message);
            return e.IsClientError ? ExitCodes.ApiError : ExitCodes.Unreachable;
        }
        catch (HttpRequestException e)
        {
            await environment.Error.WriteLineAsync($"error: the API at {parse.GetValue(options.Url) ?? environment.Variable("BRL_URL") ?? DefaultUrl} cannot be reached: {e.Message}");
            return ExitCodes.Unreachable;
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient reports its timeout as a cancellation nobody asked for.
            await environment.Error.WriteLineAsync($"error: the API did not answer in time: {e.Message}");
            return ExitCodes.Unreachable;
        }
    }

    /// <summary>The root command with every subcommand.</summary>
    public static Command Create(GlobalOptions options)
    {
        // A plain command named brl rather than a RootCommand, which names itself after the assembly (BeneficialRL.Cli).
        var root = new Command("brl",
            "brl: the BeneficialRL REST API from the command line. The API address comes from --url or BRL_URL "
            + $"(default {DefaultUrl}), the key from --api-key or BRL_API_KEY. --json prints machine-readable JSON. {ExitCodes.Help}")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
        };
        options.AddTo(root);
        root.Subcommands.Add(ExperimentCommands.Create(options));
        root.Subcommands.Add(BenchmarkCommands.Create(options));
        root.Subcommands.Add(RunCommands.Create(options));
        return root;
    }
}
