using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BeneficialRL.SiloHost.Http;

/// <summary>
/// The one check for strings a client chooses that end up as names (resource names, labels, benchmark
/// families...): they are shown in listings, logs, reports and terminals, so control characters (NUL
/// included) and the bidirectional override and isolate characters that make text display as something
/// else are refused, with a 400 naming the field.
/// </summary>
public static class TextRules
{
    /// <summary>Largest resource name.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Largest description.</summary>
    public const int MaxDescriptionLength = 4000;

    /// <summary>A problem when the required <paramref name="value"/> is blank, longer than <paramref name="maxLength"/> or has a forbidden character.</summary>
    public static ProblemHttpResult? Name(string field, string? value, int maxLength = MaxNameLength)
    {
        if (string.IsNullOrWhiteSpace(value)) return ApiProblems.InvalidField(field, $"{Leaf(field)} is required and cannot be blank.");
        if (value.Length > maxLength) return ApiProblems.InvalidField(field, $"{Leaf(field)} is at most {maxLength} characters.");
        return Plain(field, value, allowLineBreaks: false);
    }

    /// <summary>A problem when the optional <paramref name="value"/> (free text: line breaks and tabs allowed) is too long or has a forbidden character.</summary>
    public static ProblemHttpResult? Text(string field, string? value, int maxLength = MaxDescriptionLength)
    {
        if (value is null) return null;
        if (value.Length > maxLength) return ApiProblems.InvalidField(field, $"{Leaf(field)} is at most {maxLength} characters.");
        return Plain(field, value, allowLineBreaks: true);
    }

    /// <summary>A problem when <paramref name="value"/> has a control or bidirectional-formatting character; no length rules.</summary>
    public static ProblemHttpResult? Plain(string field, string value, bool allowLineBreaks = false)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (!IsForbidden(value[i], allowLineBreaks)) continue;
            var code = ((int)value[i]).ToString("X4", CultureInfo.InvariantCulture);
            return ApiProblems.InvalidField(field,
                $"{Leaf(field)} contains a control or bidirectional-override character (U+{code} at position {i}); use plain text.");
        }

        return null;
    }

    /// <summary>The usual pair of a resource: a required name and an optional description.</summary>
    public static ProblemHttpResult? NameAndDescription(string name, string? description, string nameField = "$.name", string descriptionField = "$.description") =>
        Name(nameField, name) ?? Text(descriptionField, description);

    private static bool IsForbidden(char c, bool allowLineBreaks) =>
        c switch
        {
            '\n' or '\r' or '\t' => !allowLineBreaks,
            // LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI: they reorder how the text around them is displayed.
            >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' => true,
            _ => char.IsControl(c),
        };

    private static string Leaf(string field)
    {
        var dot = field.LastIndexOf('.');
        return dot >= 0 ? field[(dot + 1)..] : field;
    }
}
