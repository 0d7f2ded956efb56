using BeneficialRL.Primitives.Hashing;
using Orleans.Runtime;

namespace BeneficialRL.Storage.GrainState;

/// <summary>
/// Where the silos stored grain state before the official Orleans blob provider, and where that provider stores it now.
/// Before: <c>{serviceId}/{grainType}/{grainKey}/{stateName}.json</c>, each segment percent-escaped. Now: Orleans'
/// own <c>{stateName}-{grainType}/{grainKey}.json</c>. <see cref="LegacyGrainStateMigration"/> moves the first to the second.
/// </summary>
public static class LegacyGrainStateBlobNames
{
    private const int MaxBlobNameLength = 1024;
    private const string HashedKeyPrefix = "sha256-";

    /// <summary>The blob name the old provider gave <paramref name="stateName"/> of <paramref name="grainId"/> in service <paramref name="serviceId"/>.</summary>
    public static string For(string serviceId, GrainId grainId, string stateName)
    {
        var grainType = Escape(grainId.Type.ToString() ?? string.Empty);
        var key = Escape(grainId.Key.ToString() ?? string.Empty);
        var name = $"{Escape(serviceId)}/{grainType}/{key}/{Escape(stateName)}.json";
        if (name.Length <= MaxBlobNameLength) return name;

        // Blob names stop at 1024 characters: very long keys were replaced by their hash.
        var hashedKey = HashedKeyPrefix + Sha256Hex.Of(grainId.Key.ToString() ?? string.Empty);
        return $"{Escape(serviceId)}/{grainType}/{hashedKey}/{Escape(stateName)}.json";
    }

    /// <summary>The prefix of every legacy blob of <paramref name="serviceId"/>.</summary>
    public static string PrefixOf(string serviceId) => Escape(serviceId) + "/";

    /// <summary>
    /// The grain and state a legacy blob name stands for; false for names that are not the old provider's, and for
    /// keys it replaced by their hash (the key cannot be recovered, so such state cannot be moved).
    /// </summary>
    public static bool TryParse(string blobName, string serviceId, out GrainId grainId, out string stateName)
    {
        (grainId, stateName) = (default, string.Empty);
        var prefix = PrefixOf(serviceId);
        if (!blobName.StartsWith(prefix, StringComparison.Ordinal) || !blobName.EndsWith(".json", StringComparison.Ordinal)) return false;
        var segments = blobName[prefix.Length..^".json".Length].Split('/');
        if (segments.Length != 3 || segments.Any(s => s.Length == 0) || segments[1].StartsWith(HashedKeyPrefix, StringComparison.Ordinal)) return false;
        var (type, key, state) = (Unescape(segments[0]), Unescape(segments[1]), Unescape(segments[2]));
        if (type.Length == 0 || state.Length == 0) return false;
        (grainId, stateName) = (GrainId.Create(type, key), state);
        return For(serviceId, grainId, stateName) == blobName;
    }

    /// <summary>The name the official provider (<c>AzureBlobGrainStorage</c>) gives the same state.</summary>
    public static string CurrentName(GrainId grainId, string stateName) => $"{stateName}-{grainId}.json";

    private static string Escape(string segment)
    {
        var escaped = Uri.EscapeDataString(segment);
        // Azure treats a trailing '.' specially (and '.'/'..' as path steps): escape it too.
        return escaped.EndsWith('.') ? escaped[..^1] + "%2E" : escaped.Length == 0 ? "%00" : escaped;
    }

    private static string Unescape(string segment) => segment == "%00" ? string.Empty : Uri.UnescapeDataString(segment);
}
