using BeneficialRL.Primitives.Hashing;
using Orleans.Runtime;

namespace BeneficialRL.Storage.GrainState;

/// <summary>
/// Maps a grain's state to its blob: <c>{serviceId}/{grainType}/{grainKey}/{stateName}.json</c>, each segment
/// percent-escaped so keys like <c>tenant/experiment/42</c> stay one segment and distinct keys never collide.
/// </summary>
/// <remarks>
/// The <c>.json</c> suffix is historical: state is now written in Orleans' binary format (see
/// <see cref="GrainStateSerializer"/>), but the names stay so state stored as JSON before is found and read.
/// </remarks>
public static class GrainStateBlobNames
{
    private const int MaxBlobNameLength = 1024;

    /// <summary>The blob name of <paramref name="stateName"/> of <paramref name="grainId"/> in service <paramref name="serviceId"/>.</summary>
    public static string For(string serviceId, GrainId grainId, string stateName)
    {
        var grainType = Escape(grainId.Type.ToString() ?? string.Empty);
        var key = Escape(grainId.Key.ToString() ?? string.Empty);
        var name = $"{Escape(serviceId)}/{grainType}/{key}/{Escape(stateName)}.json";
        if (name.Length <= MaxBlobNameLength)
        {
            return name;
        }

        // Blob names stop at 1024 characters: very long keys are replaced by their hash, still unique.
        var hashedKey = "sha256-" + Sha256Hex.Of(grainId.Key.ToString() ?? string.Empty);
        return $"{Escape(serviceId)}/{grainType}/{hashedKey}/{Escape(stateName)}.json";
    }

    private static string Escape(string segment)
    {
        var escaped = Uri.EscapeDataString(segment);
        // Azure treats a trailing '.' specially (and '.'/'..' as path steps): escape it too.
        return escaped.EndsWith('.') ? escaped[..^1] + "%2E" : escaped.Length == 0 ? "%00" : escaped;
    }
}
