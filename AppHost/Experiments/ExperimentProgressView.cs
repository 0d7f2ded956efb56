using System.Globalization;
using BeneficialRL.AppHost.Terminal;
using BeneficialRL.Client;
using BeneficialRL.Contracts.Api;
using BeneficialRL.Contracts.Experiments;
using Spectre.Console;
using ProgressContext = Spectre.Console.ProgressContext;

namespace BeneficialRL.AppHost.Experiments;

/// <summary>
/// Follows an experiment's server-sent events to its terminal status: progress bars per stage and per
/// job on a terminal, one line per stage change and per quarter of a job when the output is redirected.
/// A dropped stream is resumed with <c>Last-Event-ID</c> (by <see cref="BeneficialRLClient.StreamExperimentEventsAsync"/>).
/// </summary>
public sealed class ExperimentProgressView(ResourceConsole console)
{
    /// <summary>Follows experiment <paramref name="id"/> until it completed, failed or was cancelled.</summary>
    public async Task FollowAsync(BeneficialRLClient client, string id, CancellationToken cancellationToken)
    {
        if (console.Ansi.Profile.Capabilities.Interactive)
        {
            console.Hold();
            try
            {
                await console.Ansi.Progress()
                    .AutoClear(false)
                    .HideCompleted(false)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async context =>
                    {
                        var bars = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                        await foreach (var e in client.StreamExperimentEventsAsync(id, cancellationToken: cancellationToken)) Show(context, bars, e);
                    });
            }
            finally
            {
                console.Release();
            }

            return;
        }

        var reported = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var e in client.StreamExperimentEventsAsync(id, cancellationToken: cancellationToken)) Log(reported, e);
    }

    private static void Show(ProgressContext context, Dictionary<string, ProgressTask> bars, ExperimentEventResource e)
    {
        var (kind, stage, job, fraction) = (e.Kind, e.Stage, e.Job, e.Fraction);
        if (kind == "stage" && stage is not null)
        {
            var bar = Bar(context, bars, stage, $"[bold]{Markup.Escape(stage)}[/]");
            if (fraction is 1) bar.Value = bar.MaxValue;
            bar.Description = $"[bold]{Markup.Escape(stage)}[/] {Markup.Escape(e.Message ?? "")}";
        }
        else if (kind == "progress" && stage is not null && job is not null && fraction is { } value)
        {
            var bar = Bar(context, bars, $"{stage}/{job}", "  " + Markup.Escape(job));
            bar.Value = value * bar.MaxValue;
            bar.Description = $"  {Markup.Escape(job)} [grey]{Markup.Escape(Shorten(e.Message))}[/]";
            var stageBar = Bar(context, bars, stage, $"[bold]{Markup.Escape(stage)}[/]");
            var jobs = bars.Where(b => b.Key.StartsWith(stage + "/", StringComparison.Ordinal)).Select(b => b.Value).ToList();
            stageBar.Value = jobs.Average(j => j.Value);
        }
        else if (kind == "alarm")
        {
            Bar(context, bars, $"alarm/{bars.Count}", $"[yellow]alarm: {Markup.Escape(e.Message ?? "")}[/]").Value = 100;
        }
        else if (kind == "status")
        {
            if (e.Status is ExperimentStatus.Completed or ExperimentStatus.Failed or ExperimentStatus.Cancelled or ExperimentStatus.Paused)
            {
                var status = e.Status.ToString().ToLowerInvariant();
                Bar(context, bars, $"status/{status}", $"[{(e.Status == ExperimentStatus.Completed ? "green" : "red")}]{Markup.Escape(e.Message ?? status)}[/]").Value = 100;
            }
        }
    }

    private static ProgressTask Bar(ProgressContext context, Dictionary<string, ProgressTask> bars, string key, string description)
    {
        if (!bars.TryGetValue(key, out var bar))
        {
            bar = context.AddTask(description, maxValue: 100);
            bars[key] = bar;
        }

        return bar;
    }

    private void Log(Dictionary<string, int> reported, ExperimentEventResource e)
    {
        var message = Markup.Escape(e.Message ?? "");
        switch (e.Kind)
        {
            case "stage" or "status":
                console.Info($"[bold]{message}[/]");
                break;
            case "alarm":
                console.Warn($"alarm: {e.Message}");
                break;
            case "progress" when e.Job is { } job && e.Fraction is { } fraction:
                var quarter = (int)Math.Floor(fraction * 4);
                if (reported.TryGetValue(job, out var last) && last >= quarter) break;
                reported[job] = quarter;
                console.Info($"{Markup.Escape(job)} {(fraction * 100).ToString("0", CultureInfo.InvariantCulture)}% [grey]{message}[/]");
                break;
        }
    }

    private static string Shorten(string? message) => message is null ? "" : message.Length <= 60 ? message : message[..57] + "...";
}
