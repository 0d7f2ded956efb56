using System.CommandLine;
using System.Text.Json;
using BeneficialRL.Client;
using Spectre.Console;

namespace BeneficialRL.Cli;

/// <summary>The options every command takes (<c>--url</c>, <c>--api-key</c>, <c>--json</c>), and the environment they are read with.</summary>
/// <param name="Environment">Output and environment variables.</param>
public sealed record GlobalOptions(BrlEnvironment Environment)
{
    /// <summary>The API's root address.</summary>
    public Option<string?> Url { get; } = new("--url") { Description = $"The API's address (env BRL_URL; default {Brl.DefaultUrl}).", Recursive = true };

    /// <summary>The bearer key.</summary>
    public Option<string?> ApiKey { get; } = new("--api-key") { Description = "The API key (env BRL_API_KEY).", Recursive = true };

    /// <summary>Machine-readable output.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON (one document, or one per line for streams) instead of tables.", Recursive = true };

    /// <summary>Adds the options to <paramref name="root"/>.</summary>
    public void AddTo(Command root)
    {
        root.Options.Add(Url);
        root.Options.Add(ApiKey);
        root.Options.Add(Json);
    }

    /// <summary>Opens the session of one invocation.</summary>
    public BrlSession Open(ParseResult parse) => new(parse, this);
}

/// <summary>One invocation's client and output, from the global options and the environment.</summary>
public sealed class BrlSession : IDisposable
{
    private static readonly JsonSerializerOptions Indented = new(BeneficialRLClient.JsonOptions) { WriteIndented = true };
    private readonly HttpClient _http;

    /// <summary>Opens a session for <paramref name="parse"/>; a missing key or malformed address is a usage error.</summary>
    public BrlSession(ParseResult parse, GlobalOptions options)
    {
        var environment = Environment = options.Environment;
        Json = parse.GetValue(options.Json);
        var url = parse.GetValue(options.Url) ?? environment.Variable("BRL_URL") ?? Brl.DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            throw new BrlUsageException($"--url '{url}' is not an http(s) address.");
        var key = parse.GetValue(options.ApiKey) ?? environment.Variable("BRL_API_KEY");
        if (string.IsNullOrWhiteSpace(key))
            throw new BrlUsageException("No API key: pass --api-key or set BRL_API_KEY (locally: the AppHost's .data/local-api-key).");
        Address = address;
        _http = BeneficialRLClient.Configure(new HttpClient(), address, key);
        Client = new BeneficialRLClient(_http);
        Console = environment.OutConsole();
    }

    /// <summary>The API's address.</summary>
    public Uri Address { get; }

    /// <summary>The API client.</summary>
    public BeneficialRLClient Client { get; }

    /// <summary>Whether to print JSON.</summary>
    public bool Json { get; }

    /// <summary>Where output goes.</summary>
    public BrlEnvironment Environment { get; }

    /// <summary>Tables and markup on standard output.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Writes <paramref name="value"/> as indented JSON in the API's own format.</summary>
    public void WriteJson<T>(T value) => Environment.Out.WriteLine(JsonSerializer.Serialize(value, Indented));

    /// <summary>Writes <paramref name="value"/> as one line of JSON (streams: one document per line).</summary>
    public void WriteJsonLine<T>(T value) => Environment.Out.WriteLine(JsonSerializer.Serialize(value, BeneficialRLClient.JsonOptions));

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
