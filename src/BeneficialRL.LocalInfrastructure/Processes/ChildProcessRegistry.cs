using System.Collections.Concurrent;
using System.Runtime.Loader;

namespace BeneficialRL.LocalInfrastructure;

/// <summary>
/// Kills every still-running <see cref="ChildProcess"/> when this process exits or unloads, so a test run
/// or an AppHost that ends without disposing (an unhandled exception, Ctrl+C) leaves no Azurite or
/// silo behind.
/// </summary>
internal static class ChildProcessRegistry
{
    private static readonly ConcurrentDictionary<ChildProcess, byte> Running = new();

    static ChildProcessRegistry()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        AssemblyLoadContext.Default.Unloading += _ => KillAll();
    }

    public static void Add(ChildProcess child) => Running.TryAdd(child, 0);

    public static void Remove(ChildProcess child) => Running.TryRemove(child, out _);

    private static void KillAll()
    {
        foreach (var child in Running.Keys)
        {
            child.Kill();
        }
    }
}
