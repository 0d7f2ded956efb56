using System.Globalization;

namespace BeneficialRL.LocalInfrastructure;

/// <summary>
/// Reads the process tree from <c>/proc</c>. Needed because once a child exits its own children are
/// re-parented to init and <see cref="System.Diagnostics.Process.Kill(bool)"/> can no longer reach them:
/// the tree is captured before a stop so nothing it spawned outlives it.
/// </summary>
internal static class ProcessTree
{
    /// <summary>Every live descendant of <paramref name="rootProcessId"/> (children first); empty where /proc is absent.</summary>
    public static IReadOnlyList<int> Descendants(int rootProcessId)
    {
        if (!Directory.Exists("/proc"))
        {
            return [];
        }

        var childrenByParent = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var processId)
                || TryReadParent(directory) is not { } parentId)
            {
                continue;
            }

            if (!childrenByParent.TryGetValue(parentId, out var children))
            {
                childrenByParent[parentId] = children = [];
            }

            children.Add(processId);
        }

        var descendants = new List<int>();
        var pending = new Queue<int>([rootProcessId]);
        while (pending.TryDequeue(out var parent))
        {
            if (!childrenByParent.TryGetValue(parent, out var children))
            {
                continue;
            }

            foreach (var child in children)
            {
                descendants.Add(child);
                pending.Enqueue(child);
            }
        }

        return descendants;
    }

    /// <summary>Whether the process exists and is not a zombie waiting to be reaped.</summary>
    public static bool IsAlive(int processId)
    {
        var stat = TryReadStat($"/proc/{processId}");
        if (stat is null)
        {
            return false;
        }

        var afterName = stat.LastIndexOf(')');
        return afterName < 0 || afterName + 2 >= stat.Length || stat[afterName + 2] != 'Z';
    }

    private static int? TryReadParent(string processDirectory)
    {
        // /proc/PID/stat is "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
        var stat = TryReadStat(processDirectory);
        var afterName = stat?.LastIndexOf(')') ?? -1;
        if (stat is null || afterName < 0)
        {
            return null;
        }

        var fields = stat[(afterName + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
            ? parent
            : null;
    }

    private static string? TryReadStat(string processDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(processDirectory, "stat"));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The process ended between listing /proc and reading it.
            return null;
        }
    }
}
