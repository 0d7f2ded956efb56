using System.CommandLine;
using System.Text.Json;
using BeneficialRL.Client;
using Spectre.Console;
using static BeneficialRL.Cli.Commands.ExperimentCommands;

namespace BeneficialRL.Cli.Commands;

/// <summary><c>brl benchmarks</c>: list and import benchmark definitions.</summary>
public static class BenchmarkCommands
{
    /// <summary>The importers the API offers (its <c>importer</c> form field).</summary>
    public static readonly string[] Importers = ["anthropic-evals", "anthropic-sycophancy", "truthfulqa-csv", "truthfulqa-mc1", "truthfulqa-mc2", "bbq", "winogenerated", "mapping", "auto"];

    /// <summary>Builds the <c>benchmarks</c> command.</summary>
    public static Command Create(GlobalOptions options)
    {
        var command = new Command("benchmarks", "List and import out-of-distribution benchmarks.");
        command.Subcommands.Add(ListCommand(options));
        command.Subcommands.Add(ImportCommand(options));
        return command;
    }

    private static Command ListCommand(GlobalOptions options)
    {
        var family = new Option<string?>("--family") { Description = "Only this family (e.g. sycophancy)." };
        var format = new Option<string?>("--format") { Description = "Only this format." };
        var trait = new Option<string?>("--trait") { Description = "Only benchmarks bearing on this trait." };
        var domain = new Option<string?>("--domain") { Description = "Only benchmarks spanning this domain." };
        var command = new Command("list", "List built-in and imported benchmarks.") { family, format, trait, domain };
        command.SetAction(async (parse, ct) =>
        {
            using var session = options.Open(parse);
            var definitions = await session.Client.ListBenchmarksAsync(parse.GetValue(family), parse.GetValue(format), parse.GetValue(trait), parse.GetValue(domain), ct);
            if (session.Json)
            {
                session.WriteJson(definitions);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("id", "name", "family", "format", "items");
            foreach (var d in definitions)
                table.AddRow(Cell(Member(d, "id")), Cell(Member(d, "name")), Cell(Member(d, "family")), Cell(Member(d, "format")), Cell(Member(d, "itemCount")));
            session.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ImportCommand(GlobalOptions options)
    {
        var file = new Argument<FileInfo>("file") { Description = "The benchmark file (JSONL or CSV, as the importer reads)." };
        var importer = new Option<string>("--importer") { Description = $"How to read the file: {string.Join(", ", Importers)}.", Required = true };
        importer.AcceptOnlyFromAmong(Importers);
        var id = new Option<string>("--id") { Description = "The benchmark's id in your tenant.", Required = true };
        var name = new Option<string>("--name") { Description = "Display name.", Required = true };
        var family = new Option<string>("--family") { Description = "Family, e.g. sycophancy, power-seeking, or your own.", Required = true };
        var traits = new Option<string[]>("--traits") { Description = "Trait ids it bears on (comma-separated or repeated).", AllowMultipleArgumentsPerToken = true };
        var domain = new Option<string?>("--domain") { Description = "Domain id (default general)." };
        var polarity = new Option<string?>("--polarity") { Description = "matching-is-aligned or not-matching-is-aligned, when the importer cannot tell; no-aligned-answer (mapping, auto) for dilemmas scored by consistency." };
        var alignedOption = new Option<string?>("--aligned-option") { Description = "mapping, auto: the option (index 0 or letter A) aligned in every item, for files that mark none." };
        var mapping = new Option<FileInfo?>("--mapping") { Description = "The mapping importer's column-mapping spec (a JSON file)." };
        var command = new Command("import", "Import a benchmark file; an invalid file stores nothing and the error names the line.") { file, importer, id, name, family, traits, domain, polarity, mapping, alignedOption };
        command.SetAction(async (parse, ct) =>
        {
            using var session = options.Open(parse);
            var path = parse.GetValue(file)!;
            var imported = await session.Client.ImportBenchmarkAsync(
                new BenchmarkImport(path.Name, await ReadAsync(path, "file", ct), parse.GetValue(importer)!, parse.GetValue(id)!, parse.GetValue(name)!, parse.GetValue(family)!)
                {
                    Traits = [.. (parse.GetValue(traits) ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
                    Domain = parse.GetValue(domain),
                    Polarity = parse.GetValue(polarity),
                    AlignedOption = parse.GetValue(alignedOption),
                    Mapping = parse.GetValue(mapping) is { } spec ? System.Text.Encoding.UTF8.GetString((await ReadAsync(spec, "--mapping", ct)).Span) : null,
                },
                ct);
            if (session.Json) session.WriteJson(imported);
            else session.Console.MarkupLine($"benchmark [bold]{Markup.Escape(Member(imported.Definition, "id") ?? "")}[/] imported: {Markup.Escape(Member(imported.Definition, "itemCount") ?? "?")} items");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<ReadOnlyMemory<byte>> ReadAsync(FileInfo file, string what, CancellationToken ct)
    {
        try
        {
            return await File.ReadAllBytesAsync(file.FullName, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrlUsageException($"{what} '{file.FullName}' cannot be read: {e.Message}");
        }
    }

    /// <summary>A member of a definition as text (the definition's schema belongs to the Benchmarks library, so the client keeps it JSON).</summary>
    private static string? Member(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
}
