using System.Text;
using BeneficialRL.Primitives.Hashing;

namespace BeneficialRL.Storage.GrainState;

/// <summary>
/// The container a service's grain state lives in: <c>{base}-{serviceId}</c> (e.g. <c>grainstate-beneficialrl</c>).
/// The official provider names blobs by grain alone (<c>{state}-{grainId}.json</c>), so services sharing a storage
/// account are kept apart by container, as the old provider kept them apart by a <c>{serviceId}/</c> prefix.
/// </summary>
public static class GrainStateContainerNames
{
    private const int MaxLength = 63;
    private const int HashLength = 12;

    /// <summary>
    /// The container of <paramref name="serviceId"/>'s state: the service id made a valid container-name part
    /// (lowercase letters, digits, single hyphens) when that is exact and fits, else the first 12 hex digits of its
    /// SHA-256, so two service ids never share a container.
    /// </summary>
    public static string For(string baseName, string serviceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baseName);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceId);
        var readable = Readable(serviceId);
        if (readable == serviceId && baseName.Length + 1 + readable.Length <= MaxLength) return $"{baseName}-{readable}";
        var hashed = Sha256Hex.Of(serviceId)[..HashLength];
        return $"{baseName[..Math.Min(baseName.Length, MaxLength - 1 - HashLength)].TrimEnd('-')}-{hashed}";
    }

    private static string Readable(string serviceId)
    {
        var name = new StringBuilder(serviceId.Length);
        foreach (var c in serviceId)
        {
            var valid = c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
            if (valid) name.Append(c);
            else if (c == '-' && name.Length > 0 && name[^1] != '-') name.Append('-');
            else name.Append('\0');
        }

        // Any character that had to change (or a leading, trailing or doubled hyphen) makes the readable form inexact.
        var text = name.ToString();
        return text.Contains('\0', StringComparison.Ordinal) || text.EndsWith('-') ? string.Empty : text;
    }
}
