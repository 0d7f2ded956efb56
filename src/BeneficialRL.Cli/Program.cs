using BeneficialRL.Cli;

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Ctrl+C stops watching or downloading; the experiment itself keeps running on the server.
    e.Cancel = true;
    interrupted.Cancel();
};
return await Brl.RunAsync(args, BrlEnvironment.FromProcess(), interrupted.Token);
