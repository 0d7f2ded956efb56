using System.Globalization;
using System.Text.RegularExpressions;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.Perf.Api;

/// <summary>Runs wrk (the Debian package, installed on first use) and parses its <c>--latency</c> report.</summary>
public static partial class WrkLoad
{
    /// <summary>Runs <c>wrk -t{threads} -c{connections} -d{seconds}s --latency -H "Authorization: Bearer …" {url}</c>.</summary>
    /// <exception cref="InvalidOperationException">wrk failed or its report lacked a figure; the message quotes its output.</exception>
    public static async Task<LoadResult> RunAsync(Uri url, string apiKey, int connections, int threads, TimeSpan duration, CancellationToken cancellationToken)
    {
        await DebianPackages.EnsureInstalledAsync("wrk", "wrk", log: null, cancellationToken).ConfigureAwait(false);
        var lines = new List<string>();
        var seconds = ((int)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await using var wrk = ChildProcess.Start(
            "wrk",
            [
                "-t", threads.ToString(CultureInfo.InvariantCulture),
                "-c", connections.ToString(CultureInfo.InvariantCulture),
                "-d", seconds + "s",
                "--latency",
                "-H", $"Authorization: Bearer {apiKey}",
                url.ToString(),
            ],
            new Dictionary<string, string?>(),
            workingDirectory: null,
            line =>
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            });
        var exitCode = await wrk.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        string report;
        lock (lines)
        {
            report = string.Join('\n', lines);
        }

        if (exitCode != 0)
        {
            throw new InvalidOperationException($"wrk exited with code {exitCode}:\n{report}");
        }

        return Parse(report, connections);
    }

    /// <summary>Reads requests, duration, errors, p50 and p99 from a wrk <c>--latency</c> report.</summary>
    /// <exception cref="InvalidOperationException">A figure is missing; the message names it.</exception>
    public static LoadResult Parse(string report, int connections)
    {
        var total = TotalsLine().Match(report);
        if (!total.Success)
        {
            throw new InvalidOperationException($"wrk's report has no 'N requests in Ts' line:\n{report}");
        }

        var requests = long.Parse(total.Groups["requests"].Value, CultureInfo.InvariantCulture);
        var duration = ParseDuration(total.Groups["duration"].Value, total.Groups["unit"].Value);
        long errors = 0;
        if (Non2xxLine().Match(report) is { Success: true } non2xx)
        {
            errors += long.Parse(non2xx.Groups["count"].Value, CultureInfo.InvariantCulture);
        }

        if (SocketErrorsLine().Match(report) is { Success: true } socket)
        {
            errors += new[] { "connect", "read", "write", "timeout" }.Sum(g => long.Parse(socket.Groups[g].Value, CultureInfo.InvariantCulture));
        }

        return new LoadResult("wrk", connections, duration, requests - errors, errors, Percentile(report, "50"), Percentile(report, "99"));
    }

    private static TimeSpan Percentile(string report, string percent)
    {
        var match = Regex.Match(report, $@"^\s*{percent}(?:\.0+)?%\s+(?<value>[\d.]+)(?<unit>us|ms|s|m)\s*$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        return match.Success
            ? ParseDuration(match.Groups["value"].Value, match.Groups["unit"].Value)
            : throw new InvalidOperationException($"wrk's report has no {percent}% latency line (was --latency passed?):\n{report}");
    }

    private static TimeSpan ParseDuration(string value, string unit)
    {
        var number = double.Parse(value, CultureInfo.InvariantCulture);
        return unit switch
        {
            "us" => TimeSpan.FromMicroseconds(number),
            "ms" => TimeSpan.FromMilliseconds(number),
            "s" => TimeSpan.FromSeconds(number),
            "m" => TimeSpan.FromMinutes(number),
            _ => throw new InvalidOperationException($"wrk reported a time in unknown unit '{unit}'."),
        };
    }

    [GeneratedRegex(@"(?<requests>\d+) requests in (?<duration>[\d.]+)(?<unit>us|ms|s|m),")]
    private static partial Regex TotalsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (?<count>\d+)")]
    private static partial Regex Non2xxLine();

    [GeneratedRegex(@"Socket errors: connect (?<connect>\d+), read (?<read>\d+), write (?<write>\d+), timeout (?<timeout>\d+)")]
    private static partial Regex SocketErrorsLine();
}
