using System.Collections.Concurrent;
using System.Globalization;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.Storage.Tests.LocalInfrastructure;

public sealed class ChildProcessTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public async Task Start_Command_StreamsOutputLinesAndExitCode()
    {
        var lines = new ConcurrentQueue<string>();
        await using var child = ChildProcess.Start(
            "/bin/sh",
            ["-c", "echo \"$GREETING\"; echo err >&2; exit 3"],
            new Dictionary<string, string?> { ["GREETING"] = "hello child" },
            workingDirectory: null,
            lines.Enqueue);

        var exitCode = await child.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(3, exitCode);
        Assert.Contains("hello child", lines);
        Assert.Contains("err", lines);
    }

    [Fact]
    public async Task Kill_ProcessWithChild_KillsTheWholeTree()
    {
        var grandchild = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var child = ChildProcess.Start(
            "/bin/sh",
            ["-c", "sleep 300 & echo $!; wait"],
            NoEnvironment,
            workingDirectory: null,
            line => grandchild.TrySetResult(int.Parse(line, CultureInfo.InvariantCulture)));
        var grandchildId = await grandchild.Task.WaitAsync(TestContext.Current.CancellationToken);

        child.Kill();
        await child.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(child.HasExited);
        Assert.True(await ProcessProbe.ExitsAsync(grandchildId), $"grandchild {grandchildId} survived Kill()");
    }

    [Fact]
    public async Task StopAsync_ProcessHandlingSigterm_ExitsGracefullyAndLeavesNoOrphan()
    {
        var grandchild = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var child = ChildProcess.Start(
            "/bin/sh",
            ["-c", "trap 'exit 0' TERM; sleep 300 & echo $!; wait"],
            NoEnvironment,
            workingDirectory: null,
            line => grandchild.TrySetResult(int.Parse(line, CultureInfo.InvariantCulture)));
        var grandchildId = await grandchild.Task.WaitAsync(TestContext.Current.CancellationToken);

        await child.StopAsync(TimeSpan.FromSeconds(30));
        var exitCode = await child.WaitForExitAsync(TestContext.Current.CancellationToken);
        await child.DisposeAsync();

        Assert.Equal(0, exitCode);
        Assert.True(await ProcessProbe.ExitsAsync(grandchildId), $"orphaned grandchild {grandchildId} survived StopAsync");
    }

    [Fact]
    public void Start_MissingExecutable_ThrowsNamingIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            ChildProcess.Start("/nonexistent/tool", [], NoEnvironment, null, _ => { }));

        Assert.Contains("/nonexistent/tool", error.Message, StringComparison.Ordinal);
    }
}
