using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using BeneficialRL.Contracts.Api;
using BeneficialRL.Contracts.Experiments;
using Spectre.Console;

namespace BeneficialRL.Cli.Commands;

/// <summary><c>brl experiments</c>: create (and watch), list, get, jobs, cancel, pause, resume, watch, report.</summary>
public static class ExperimentCommands
{
    /// <summary>Builds the <c>experiments</c> command.</summary>
    public static Command Create(GlobalOptions options)
    {
        var command = new Command("experiments", "Create, follow and control experiments.");
        command.Subcommands.Add(CreateCommand(options));
        command.Subcommands.Add(ListCommand(options));
        command.Subcommands.Add(IdCommand(options, "get", "Show an experiment: status, stages, alarms, links.", async (session, id, _, ct) =>
        {
            Show(session, await session.Client.GetExperimentAsync(id, ct));
            return ExitCodes.Ok;
        }));
        command.Subcommands.Add(IdCommand(options, "jobs", "List an experiment's jobs with their progress.", async (session, id, _, ct) =>
        {
            var jobs = await session.Client.GetExperimentJobsAsync(id, ct);
            if (session.Json)
            {
                session.WriteJson(jobs);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("job", "stage", "status", "done", "worker", "message");
            foreach (var job in jobs)
                table.AddRow(Cell(job.Name), Cell(job.Stage), Cell(Wire(job.Status)), Cell($"{job.Done}/{job.Total}"), Cell(job.Worker), Cell(job.Error ?? job.Message));
            session.Console.Write(table);
            return ExitCodes.Ok;
        }));
        command.Subcommands.Add(CancelCommand(options));
        command.Subcommands.Add(ChangeCommand(options, "pause", "Pause a running experiment; its jobs stop at their next step.", (client, id, revision, ct) => client.PauseExperimentAsync(id, revision, ct)));
        command.Subcommands.Add(ChangeCommand(options, "resume", "Resume a paused experiment from its last checkpoints.", (client, id, revision, ct) => client.ResumeExperimentAsync(id, revision, ct)));
        command.Subcommands.Add(IdCommand(options, "watch", "Follow an experiment's events until it completes (exit 0), fails or is cancelled (exit 4).",
            (session, id, _, ct) => WatchAsync(session, id, ct)));
        command.Subcommands.Add(ReportCommand(options));
        return command;
    }

    private static Command CreateCommand(GlobalOptions options)
    {
        var preset = new Option<string?>("--preset") { Description = "A preset the API knows: demo, quick, paper-main, health-only, no-health-no-science, helpfulness-reward-control." };
        var definition = new Option<FileInfo?>("--definition") { Description = "A JSON file with a full experiment definition (instead of --preset)." };
        var name = new Option<string?>("--name") { Description = "Display name (default: the preset's or definition's; required with neither, which makes a record nothing runs)." };
        var description = new Option<string?>("--description") { Description = "Free-text description." };
        var persistence = new Option<string?>("--persistence") { Description = "Add the persistence tests to a preset: default, demo or quick." };
        var watch = new Option<bool>("--watch") { Description = "Follow the experiment until it ends; exit 0 when it completed, 4 when it failed or was cancelled." };
        var command = new Command("create", "Create an experiment and queue it on the trainer silos.") { preset, definition, name, description, persistence, watch };
        command.Validators.Add(result =>
        {
            if (result.GetValue(preset) is not null && result.GetValue(definition) is not null) result.AddError("Give --preset or --definition, not both.");
        });
        command.SetAction(async (parse, ct) =>
        {
            using var session = options.Open(parse);
            JsonElement? body = null;
            if (parse.GetValue(definition) is { } file)
            {
                try
                {
                    using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(file.FullName, ct));
                    body = document.RootElement.Clone();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
                {
                    throw new BrlUsageException($"--definition '{file.FullName}' cannot be read as JSON: {e.Message}");
                }
            }

            var experiment = await session.Client.CreateExperimentAsync(
                new CreateExperimentRequest(parse.GetValue(name), parse.GetValue(description), Preset: parse.GetValue(preset), Definition: body, Persistence: parse.GetValue(persistence)),
                cancellationToken: ct);
            if (session.Json && !parse.GetValue(watch)) session.WriteJson(experiment);
            else if (!session.Json) session.Console.MarkupLine($"experiment [bold]{Markup.Escape(experiment.Id)}[/] ({Markup.Escape(experiment.Name)}) {Wire(experiment.Status)}: {Markup.Escape(session.Client.AddressOf(experiment.Links.Self).ToString())}");
            return parse.GetValue(watch) ? await WatchAsync(session, experiment.Id, ct) : ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListCommand(GlobalOptions options)
    {
        var limit = new Option<int?>("--limit") { Description = "Page size, 1-200 (default 50)." };
        var token = new Option<string?>("--continuation-token") { Description = "Where the page starts: the token the previous page printed." };
        var all = new Option<bool>("--all") { Description = "Every experiment, page after page." };
        var command = new Command("list", "List experiments, newest first.") { limit, token, all };
        command.SetAction(async (parse, ct) =>
        {
            using var session = options.Open(parse);
            Page<ExperimentResource> page;
            if (parse.GetValue(all))
            {
                var items = new List<ExperimentResource>();
                await foreach (var experiment in session.Client.ListAllExperimentsAsync(parse.GetValue(limit), ct)) items.Add(experiment);
                page = new Page<ExperimentResource>(items, null);
            }
            else
            {
                page = await session.Client.ListExperimentsAsync(parse.GetValue(limit), parse.GetValue(token), ct);
            }

            if (session.Json)
            {
                session.WriteJson(page);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("id", "name", "status", "created", "progress");
            foreach (var e in page.Items)
                table.AddRow(Cell(e.Id), Cell(e.Name), Cell(Wire(e.Status)), Cell(e.CreatedAt.ToString("u", CultureInfo.InvariantCulture)), Cell(Progress(e)));
            session.Console.Write(table);
            if (page.ContinuationToken is { } next) session.Environment.Error.WriteLine($"more: brl experiments list --continuation-token {next}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CancelCommand(GlobalOptions options)
    {
        var reason = new Option<string?>("--reason") { Description = "Why; shown as the experiment's error." };
        var ifMatch = IfMatchOption();
        var id = new Argument<string>("id") { Description = "The experiment's id." };
        var command = new Command("cancel", "Cancel a created, queued, running or paused experiment.") { id, reason, ifMatch };
        command.SetAction(async (parse, ct) =>
        {
            using var session = options.Open(parse);
            Show(session, await session.Client.CancelExperimentAsync(parse.GetValue(id)!, parse.GetValue(reason), parse.GetValue(ifMatch), ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ChangeCommand(GlobalOptions options, string name, string description, Func<Client.BeneficialRLClient, string, long?, CancellationToken, Task<ExperimentResource>> change)
    {
        var ifMatch = IfMatchOption();
        var id = new Argument<string>("id") { Description = "The experiment's id." };
        var command = new Command(name, description) { id, ifMatch };
        command.SetAction(async (parse, ct) =>
        {
            using var session = options.Open(parse);
            Show(session, await change(session.Client, parse.GetValue(id)!, parse.GetValue(ifMatch), ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ReportCommand(GlobalOptions options)
    {
        var output = new Option<DirectoryInfo?>("--output") { Description = "Save report.html and report.json into this folder." };
        var open = new Option<bool>("--open") { Description = "Save the report (into --output, or a temporary folder) and open report.html." };
        var id = new Argument<string>("id") { Description = "The experiment's id." };
        var command = new Command("report", "Show where a completed experiment's report is; save it, or open it in the browser.") { id, output, open };
        command.SetAction(async (parse, ct) =>
        {
            using var session = options.Open(parse);
            var experimentId = parse.GetValue(id)!;
            // Fetching the JSON first makes an unfinished experiment a 409 from the API, with its reason, before any file is written.
            var report = await session.Client.GetExperimentReportAsync(experimentId, ct);
            var folder = parse.GetValue(output)?.FullName ?? (parse.GetValue(open) ? Path.Combine(Path.GetTempPath(), "brl-reports", experimentId) : null);
            string? html = null;
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
                html = Path.Combine(folder, "report.html");
                await using (var file = File.Create(html)) await session.Client.DownloadExperimentReportFileAsync(experimentId, "report.html", file, ct);
                await File.WriteAllTextAsync(Path.Combine(folder, "report.json"), report.GetRawText(), ct);
            }

            var url = session.Client.GetExperimentReportUri(experimentId).ToString();
            if (session.Json) session.WriteJson(new { url, json = session.Client.GetExperimentReportUri(experimentId, "report.json").ToString(), saved = html });
            else session.Console.MarkupLine($"report: {Markup.Escape(url)} (needs the API key)" + (html is null ? "" : $"\nsaved: {Markup.Escape(html)}"));
            if (parse.GetValue(open) && html is not null) session.Environment.Open(html);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Prints events until a terminal status; 0 when the experiment completed, 4 otherwise.</summary>
    private static async Task<int> WatchAsync(BrlSession session, string id, CancellationToken ct)
    {
        var quarters = new Dictionary<string, int>(StringComparer.Ordinal);
        ExperimentStatus last = ExperimentStatus.Created;
        await foreach (var e in session.Client.StreamExperimentEventsAsync(id, cancellationToken: ct))
        {
            last = e.Status;
            if (session.Json)
            {
                session.WriteJsonLine(e);
                continue;
            }

            var message = Markup.Escape(e.Message ?? "");
            switch (e.Kind)
            {
                case "stage" or "status":
                    session.Console.MarkupLine($"[bold]{message}[/]");
                    break;
                case "alarm":
                    session.Console.MarkupLine($"[yellow]alarm: {message}[/]");
                    break;
                case "progress" when e.Job is { } job && e.Fraction is { } fraction:
                    // A line per quarter of each job: enough to see it move without flooding a log.
                    var quarter = (int)Math.Floor(fraction * 4);
                    if (quarters.TryGetValue(job, out var seen) && seen >= quarter) break;
                    quarters[job] = quarter;
                    session.Console.MarkupLine($"{Markup.Escape(job)} {(fraction * 100).ToString("0", CultureInfo.InvariantCulture)}% [grey]{message}[/]");
                    break;
            }
        }

        return last == ExperimentStatus.Completed ? ExitCodes.Ok : ExitCodes.ExperimentNotCompleted;
    }

    private static void Show(BrlSession session, ExperimentResource e)
    {
        if (session.Json)
        {
            session.WriteJson(e);
            return;
        }

        var grid = new Grid().AddColumn().AddColumn();
        void Row(string label, string? value)
        {
            if (value is not null) grid.AddRow(new Text(label), new Text(value));
        }

        Row("id", e.Id);
        Row("name", e.Name);
        Row("status", Wire(e.Status));
        Row("revision", e.Revision.ToString(CultureInfo.InvariantCulture));
        Row("created", e.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
        Row("finished", e.FinishedAt?.ToString("u", CultureInfo.InvariantCulture));
        Row("progress", Progress(e));
        Row("error", e.Error);
        Row("report", e.Links.ReportHtml);
        session.Console.Write(grid);
        if (e.Stages.Count > 0)
        {
            var stages = new Table().AddColumns("stage", "started", "seconds");
            foreach (var s in e.Stages) stages.AddRow(Cell(s.Name), Cell(s.StartedAt.ToString("u", CultureInfo.InvariantCulture)), Cell(s.Seconds?.ToString("0.0", CultureInfo.InvariantCulture)));
            session.Console.Write(stages);
        }

        foreach (var alarm in e.Alarms) session.Console.MarkupLine($"[yellow]alarm ({Markup.Escape(alarm.Kind)}): {Markup.Escape(alarm.Message)}[/]");
    }

    private static Command IdCommand(GlobalOptions options, string name, string description, Func<BrlSession, string, ParseResult, CancellationToken, Task<int>> run)
    {
        var id = new Argument<string>("id") { Description = "The experiment's id." };
        var command = new Command(name, description) { id };
        command.SetAction(async (parse, ct) =>
        {
            using var session = options.Open(parse);
            return await run(session, parse.GetValue(id)!, parse, ct);
        });
        return command;
    }

    private static Option<long?> IfMatchOption() =>
        new("--if-match") { Description = "Only if the experiment is still at this revision (its ETag); otherwise the API answers 412 and nothing changes." };

    private static string? Progress(ExperimentResource e) =>
        e.Progress is { } p ? $"{p.Stage} {(p.Fraction * 100).ToString("0", CultureInfo.InvariantCulture)}%" : null;

    /// <summary>A status as the API spells it, so table output and JSON agree.</summary>
    internal static string Wire<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    internal static Text Cell(string? text) => new(text ?? "");
}
