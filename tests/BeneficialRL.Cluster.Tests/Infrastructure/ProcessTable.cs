using System.Globalization;

namespace BeneficialRL.Cluster.Tests.Infrastructure;

/// <summary>
/// Reads <c>/proc</c> to list a process's descendants and check them afterwards, so "no orphan" is asserted on the
/// exact processes a run started, not on name patterns other concurrent runs could match.
/// </summary>
internal static class ProcessTable
{
    /// <summary>One process: id, start time (clock ticks since boot, to tell a reused id apart) and command line.</summary>
    public sealed record Entry(int Id, ulong StartTime, string CommandLine);

    /// <summary>Every live descendant of <paramref name="rootId"/>, children first.</summary>
    public static IReadOnlyList<Entry> Descendants(int rootId)
    {
        var all = new List<(int Id, int Parent, ulong Start)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && ReadStat(id) is { } stat)
            {
                all.Add((id, stat.Parent, stat.Start));
            }
        }

        var result = new List<Entry>();
        var pending = new Queue<int>([rootId]);
        while (pending.TryDequeue(out var parent))
        {
            foreach (var child in all.Where(p => p.Parent == parent))
            {
                result.Add(new Entry(child.Id, child.Start, ReadCommandLine(child.Id)));
                pending.Enqueue(child.Id);
            }
        }

        return result;
    }

    /// <summary>
    /// Every process of an Aspire AppHost's run: its own descendants, and the orchestrator (DCP), which detaches from the
    /// AppHost and names it with <c>--monitor {pid}</c>, with everything DCP started (Azurite, silos, the dashboard).
    /// </summary>
    public static IReadOnlyList<Entry> OfAppHostRun(int appHostId)
    {
        var monitor = $"--monitor {appHostId.ToString(CultureInfo.InvariantCulture)} ";
        var orchestrators = Directory.EnumerateDirectories("/proc")
            .Select(directory => int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1)
            .Where(id => id > 0 && ReadCommandLine(id) is { } command && command.Contains("dcp start-apiserver", StringComparison.Ordinal) && command.Contains(monitor, StringComparison.Ordinal))
            .Select(id => ReadStat(id) is { } stat ? new Entry(id, stat.Start, ReadCommandLine(id)) : null)
            .OfType<Entry>()
            .ToList();
        return [.. Descendants(appHostId), .. orchestrators, .. orchestrators.SelectMany(o => Descendants(o.Id))];
    }

    /// <summary>Whether <paramref name="entry"/> still runs: same id, same start time, not a zombie.</summary>
    public static bool IsAlive(Entry entry) =>
        ReadStat(entry.Id) is { } stat && stat.Start == entry.StartTime && stat.State != 'Z';

    private static (char State, int Parent, ulong Start)? ReadStat(int id)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{id}/stat");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null; // Ended between listing and reading.
        }

        // "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
        //  priority nice threads itrealvalue starttime ...": comm may hold spaces, so fields are counted after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture), ulong.Parse(fields[19], CultureInfo.InvariantCulture));
    }

    private static string ReadCommandLine(int id)
    {
        try
        {
            return File.ReadAllText($"/proc/{id}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
