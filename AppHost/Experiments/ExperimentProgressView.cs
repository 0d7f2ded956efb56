using System.Globalization;
using System.Text.Json;
using BeneficialRL.AppHost.Terminal;
using Spectre.Console;

namespace BeneficialRL.AppHost.Experiments;

/// <summary>
/// Follows an experiment's server-sent events to its terminal status: progress bars per stage and per
/// job on a terminal, one line per stage change and per quarter of a job when the output is redirected.
/// A dropped stream is resumed with <c>Last-Event-ID</c>.
/// </summary>
public sealed class ExperimentProgressView(ResourceConsole console)
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);

    /// <summary>Follows experiment <paramref name="id"/> until it completed, failed or was cancelled.</summary>
    public async Task FollowAsync(HttpClient http, string id, CancellationToken cancellationToken)
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
                        await ReadEventsAsync(http, id, e => Show(context, bars, e), cancellationToken);
                    });
            }
            finally
            {
                console.Release();
            }

            return;
        }

        var reported = new Dictionary<string, int>(StringComparer.Ordinal);
        await ReadEventsAsync(http, id, e => Log(reported, e), cancellationToken);
    }

    private static void Show(ProgressContext context, Dictionary<string, ProgressTask> bars, JsonElement e)
    {
        var kind = e.GetProperty("kind").GetString();
        var stage = Text(e, "stage");
        var job = Text(e, "job");
        var fraction = e.TryGetProperty("fraction", out var f) && f.ValueKind == JsonValueKind.Number ? f.GetDouble() : (double?)null;
        if (kind == "stage" && stage is not null)
        {
            var bar = Bar(context, bars, stage, $"[bold]{Markup.Escape(stage)}[/]");
            if (fraction is 1) bar.Value = bar.MaxValue;
            bar.Description = $"[bold]{Markup.Escape(stage)}[/] {Markup.Escape(Text(e, "message") ?? "")}";
        }
        else if (kind == "progress" && stage is not null && job is not null && fraction is { } value)
        {
            var bar = Bar(context, bars, $"{stage}/{job}", "  " + Markup.Escape(job));
            bar.Value = value * bar.MaxValue;
            bar.Description = $"  {Markup.Escape(job)} [grey]{Markup.Escape(Shorten(Text(e, "message")))}[/]";
            var stageBar = Bar(context, bars, stage, $"[bold]{Markup.Escape(stage)}[/]");
            var jobs = bars.Where(b => b.Key.StartsWith(stage + "/", StringComparison.Ordinal)).Select(b => b.Value).ToList();
            stageBar.Value = jobs.Average(j => j.Value);
        }
        else if (kind == "alarm")
        {
            Bar(context, bars, $"alarm/{bars.Count}", $"[yellow]alarm: {Markup.Escape(Text(e, "message") ?? "")}[/]").Value = 100;
        }
        else if (kind == "status")
        {
            var status = Text(e, "status");
            if (status is "completed" or "failed" or "cancelled" or "paused")
                Bar(context, bars, $"status/{status}", $"[{(status == "completed" ? "green" : "red")}]{Markup.Escape(Text(e, "message") ?? status)}[/]").Value = 100;
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

    private void Log(Dictionary<string, int> reported, JsonElement e)
    {
        var kind = e.GetProperty("kind").GetString();
        var message = Markup.Escape(Text(e, "message") ?? "");
        switch (kind)
        {
            case "stage" or "status":
                console.Info($"[bold]{message}[/]");
                break;
            case "alarm":
                console.Warn($"alarm: {Text(e, "message")}");
                break;
            case "progress" when Text(e, "job") is { } job && e.TryGetProperty("fraction", out var f) && f.ValueKind == JsonValueKind.Number:
                var quarter = (int)Math.Floor(f.GetDouble() * 4);
                if (reported.TryGetValue(job, out var last) && last >= quarter) break;
                reported[job] = quarter;
                console.Info($"{Markup.Escape(job)} {(f.GetDouble() * 100).ToString("0", CultureInfo.InvariantCulture)}% [grey]{message}[/]");
                break;
        }
    }

    /// <summary>Reads events (resuming after drops) until a terminal status event arrives.</summary>
    private static async Task ReadEventsAsync(HttpClient http, string id, Action<JsonElement> onEvent, CancellationToken cancellationToken)
    {
        string? lastEventId = null;
        while (true)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/experiments/{id}/events");
                if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
                using var stream = new HttpClient { BaseAddress = http.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
                stream.DefaultRequestHeaders.Authorization = http.DefaultRequestHeaders.Authorization;
                using var response = await stream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                response.EnsureSuccessStatusCode();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line.StartsWith("id: ", StringComparison.Ordinal)) lastEventId = line[4..];
                    if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
                    var e = JsonDocument.Parse(line[6..]).RootElement.Clone();
                    onEvent(e);
                    if (e.GetProperty("kind").GetString() == "status" && Text(e, "status") is "completed" or "failed" or "cancelled") return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                // The API silo restarted or the connection dropped: resume after the last event seen.
            }

            await Task.Delay(Reconnect, cancellationToken);
        }
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Shorten(string? message) => message is null ? "" : message.Length <= 60 ? message : message[..57] + "...";
}
