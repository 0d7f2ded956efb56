using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using static BeneficialRL.Cli.Commands.ExperimentCommands;

namespace BeneficialRL.Cli.Commands;

/// <summary><c>brl runs</c>: benchmark runs and their per-item results.</summary>
public static class RunCommands
{
    /// <summary>Builds the <c>runs</c> command.</summary>
    public static Command Create(GlobalOptions options)
    {
        var command = new Command("runs", "Benchmark runs of checkpoints.");
        var getId = new Argument<string>("runId") { Description = "The benchmark run's id." };
        var get = new Command("get", "Show a benchmark run's status and summary.") { getId };
        get.SetAction(async (parse, ct) =>
        {
            using var session = options.Open(parse);
            var run = await session.Client.GetBenchmarkRunAsync(parse.GetValue(getId)!, ct);
            if (session.Json)
            {
                session.WriteJson(run);
                return ExitCodes.Ok;
            }

            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow(new Text("id"), Cell(run.Id));
            grid.AddRow(new Text("checkpoint"), Cell(run.CheckpointId));
            grid.AddRow(new Text("benchmark"), Cell(run.BenchmarkId));
            grid.AddRow(new Text("status"), Cell(Wire(run.Status)));
            grid.AddRow(new Text("items"), Cell($"{run.ItemsDone.ToString(CultureInfo.InvariantCulture)}/{run.ItemsTotal?.ToString(CultureInfo.InvariantCulture) ?? "?"}"));
            if (run.Error is not null) grid.AddRow(new Text("error"), Cell(run.Error));
            session.Console.Write(grid);
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(get);

        var itemsId = new Argument<string>("runId") { Description = "The benchmark run's id." };
        var items = new Command("items", "Print a completed run's per-item results, one JSON object per line (with or without --json).") { itemsId };
        items.SetAction(async (parse, ct) =>
        {
            using var session = options.Open(parse);
            await foreach (var item in session.Client.ReadBenchmarkRunItemsAsync(parse.GetValue(itemsId)!, ct)) session.WriteJsonLine(item);
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(items);
        return command;
    }
}
