using System.Text;

namespace BeneficialRL.Scenarios.Generation;

/// <summary>Fills <c>{slot}</c> placeholders and capitalises sentence starts.</summary>
internal static class TemplateFiller
{
    /// <summary>Replaces every <c>{name}</c> by its value; throws naming the template when a slot is unknown.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string> slots)
    {
        var result = new StringBuilder(template.Length + 64);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                result.Append(template, i, template.Length - i);
                break;
            }

            var close = template.IndexOf('}', open);
            if (close < 0)
            {
                throw new InvalidOperationException($"Unclosed slot in template: \"{template}\".");
            }

            result.Append(template, i, open - i);
            var name = template[(open + 1)..close];
            if (!slots.TryGetValue(name, out var value))
            {
                throw new InvalidOperationException($"Template uses unknown slot '{{{name}}}': \"{template}\".");
            }

            result.Append(value);
            i = close + 1;
        }

        return CapitaliseSentences(result.ToString().Trim());
    }

    /// <summary>Upper-cases the first letter of the text and of each sentence (slot values start lower-case).</summary>
    public static string CapitaliseSentences(string text)
    {
        var chars = text.ToCharArray();
        var atStart = true;
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (atStart && char.IsLetter(c))
            {
                chars[i] = char.ToUpperInvariant(c);
                atStart = false;
            }
            else if (c is '.' or '!' or '?' && i + 1 < chars.Length && chars[i + 1] == ' ' && !EndsAbbreviation(text, i))
            {
                atStart = true;
            }
            else if (!char.IsWhiteSpace(c) && c is not '\'' and not '"')
            {
                atStart = false;
            }
        }

        return new string(chars);
    }

    // "9 a.m. tomorrow" and "e.g. the" must not be capitalised after the abbreviation's full stop.
    private static bool EndsAbbreviation(string text, int dot) =>
        dot >= 3 && text[dot - 2] == '.' && char.IsLetter(text[dot - 1]) && char.IsLetter(text[dot - 3]);
}
