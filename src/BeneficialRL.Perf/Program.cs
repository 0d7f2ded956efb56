using System.CommandLine;
using System.Reflection;
using BeneficialRL.Perf;

var benchmarks = typeof(IPerfMeasurement).Assembly.GetTypes()
    .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IPerfMeasurement).IsAssignableFrom(t))
    .Select(t => (IPerfMeasurement)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

var root = new RootCommand("BeneficialRL benchmarks: each prints a markdown table for docs/benchmarks.md.");
foreach (var benchmark in benchmarks)
{
    var command = new Command(benchmark.Name, benchmark.Description);
    var rest = new Argument<string[]>("options") { Arity = ArgumentArity.ZeroOrMore, Description = "Benchmark-specific options." };
    command.Arguments.Add(rest);
    command.TreatUnmatchedTokensAsErrors = false;
    command.SetAction(async (parse, ct) =>
    {
        var args = parse.GetValue(rest) ?? [];
        return await benchmark.RunAsync([.. args, .. parse.UnmatchedTokens], Console.Out, ct);
    });
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
