using System.Globalization;

namespace BeneficialRL.Perf.Api;

/// <summary>Reads what Linux's <c>/proc</c> says about a process and the machine, for the <c>api</c> benchmark's working-set figures.</summary>
public static class ProcessMemory
{
    /// <summary>The resident set (<c>VmRSS</c> of <c>/proc/&lt;pid&gt;/status</c>) of process <paramref name="processId"/>, in bytes.</summary>
    /// <exception cref="InvalidOperationException">The status file has no <c>VmRSS</c> line (not Linux, or the process exited).</exception>
    public static long ResidentBytes(int processId)
    {
        foreach (var line in File.ReadLines($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
            // "VmRSS:     123456 kB": the kernel always reports kibibytes.
            var kibibytes = line["VmRSS:".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            return long.Parse(kibibytes, CultureInfo.InvariantCulture) * 1024;
        }

        throw new InvalidOperationException($"/proc/{processId}/status has no VmRSS line.");
    }

    /// <summary>The first three fields of <c>/proc/loadavg</c> (1, 5 and 15 minute load averages), or "unknown" off Linux.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg")
            ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3))
            : "unknown";

    /// <summary>Formats <paramref name="bytes"/> as mebibytes with one decimal.</summary>
    public static string Mebibytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.0} MiB");
}
