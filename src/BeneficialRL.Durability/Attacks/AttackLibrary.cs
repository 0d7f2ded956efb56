using System.Text.Json;
using System.Text.Json.Serialization;

namespace BeneficialRL.Durability.Attacks;

/// <summary>
/// The attack catalogue, read from JSON (the shipped <c>Data/attacks.json</c> by default): personas steering toward
/// harm or toward help, and prompt transforms, each with a stable id.
/// </summary>
public sealed class AttackLibrary
{
    private static readonly Lazy<AttackLibrary> LazyDefault = new(() =>
    {
        using var stream = typeof(AttackLibrary).Assembly.GetManifestResourceStream("BeneficialRL.Durability.Data.attacks.json")
            ?? throw new InvalidOperationException("The embedded resource BeneficialRL.Durability.Data.attacks.json is missing from the assembly.");
        return Load(stream, "attacks.json");
    });

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    private readonly Dictionary<string, PromptAttack> _byId;

    private AttackLibrary(string version, IReadOnlyList<PromptAttack> attacks)
    {
        Version = version;
        Attacks = attacks;
        _byId = attacks.ToDictionary(a => a.Id, StringComparer.Ordinal);
    }

    /// <summary>The shipped catalogue.</summary>
    public static AttackLibrary Default => LazyDefault.Value;

    /// <summary>Version of the attack data (recorded with results).</summary>
    public string Version { get; }

    /// <summary>Every attack, in file order.</summary>
    public IReadOnlyList<PromptAttack> Attacks { get; }

    /// <summary>Attacks of one kind, in file order.</summary>
    public IReadOnlyList<PromptAttack> OfKind(AttackKind kind) => [.. Attacks.Where(a => a.Kind == kind)];

    /// <summary>The attack with <paramref name="id"/>.</summary>
    /// <exception cref="KeyNotFoundException">No attack has that id.</exception>
    public PromptAttack Get(string id) =>
        _byId.TryGetValue(id, out var attack) ? attack : throw new KeyNotFoundException($"No attack with id '{id}'; known: {string.Join(", ", _byId.Keys)}.");

    /// <summary>Whether an attack with <paramref name="id"/> exists.</summary>
    public bool Contains(string id) => _byId.ContainsKey(id);

    /// <summary>Reads and validates a catalogue.</summary>
    /// <param name="json">The JSON document (<c>{"version": "...", "attacks": [...]}</c>).</param>
    /// <param name="sourceName">Name used in error messages.</param>
    /// <exception cref="InvalidDataException">The document is malformed, an id repeats, or an attack is unusable (the message names <c>attacks[i]</c> and the field).</exception>
    public static AttackLibrary Load(Stream json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        AttackFile file;
        try
        {
            file = JsonSerializer.Deserialize<AttackFile>(json, JsonOptions) ?? throw new InvalidDataException($"{sourceName} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{sourceName} is not a valid attack file at {e.Path}: {e.Message}", e);
        }

        var attacks = new List<PromptAttack>(file.Attacks.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < file.Attacks.Count; i++)
        {
            var entry = file.Attacks[i];
            var attack = new PromptAttack(entry.Id ?? "", entry.Kind, entry.Placement, entry.Description ?? "", entry.Text ?? "")
            {
                Shots = entry.Shots,
                Examples = entry.Examples ?? [],
            };
            var problems = attack.Problems();
            if (problems.Count > 0)
            {
                throw new InvalidDataException($"{sourceName}: attacks[{i}] ('{attack.Id}'): {string.Join("; ", problems)}.");
            }

            if (!seen.Add(attack.Id))
            {
                throw new InvalidDataException($"{sourceName}: attacks[{i}] repeats id '{attack.Id}'.");
            }

            attacks.Add(attack);
        }

        return new AttackLibrary(file.Version ?? "", attacks);
    }

    private sealed record AttackFile(string? Version, IReadOnlyList<AttackEntry> Attacks);

    private sealed record AttackEntry(string? Id, AttackKind Kind, AttackPlacement Placement, string? Description, string? Text, int Shots, IReadOnlyList<ShotExample>? Examples);
}
