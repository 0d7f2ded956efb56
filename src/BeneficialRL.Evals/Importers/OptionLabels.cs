using System.Globalization;

namespace BeneficialRL.Evals.Importers;

/// <summary>How files and requests name an option: a 0-based index (<c>2</c>) or a letter (<c>C</c>, <c>c</c>, <c>" (C)"</c>).</summary>
public static class OptionLabels
{
    /// <summary>The index a 0-based number names, or null.</summary>
    public static int? FromIndex(string value) =>
        int.TryParse(Bare(value), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;

    /// <summary>The index a letter names (A = 0), or null.</summary>
    public static int? FromLetter(string value) =>
        Bare(value) is { Length: 1 } letter && char.IsAsciiLetter(letter[0]) ? char.ToUpperInvariant(letter[0]) - 'A' : null;

    /// <summary>The index a number or a letter names, or null.</summary>
    public static int? FromIndexOrLetter(string value) => FromIndex(value) ?? FromLetter(value);

    /// <summary>The letter of an option index (0 = A), for messages.</summary>
    public static string Letter(int index) => index is >= 0 and < 26 ? ((char)('A' + index)).ToString() : index.ToString(CultureInfo.InvariantCulture);

    // Answer columns write letters as "B", " (B)" or "(B)".
    private static string Bare(string value) => value.Trim().Trim('(', ')').Trim();
}
