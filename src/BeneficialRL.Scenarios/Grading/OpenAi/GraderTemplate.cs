using System.Globalization;
using System.Text;
using System.Text.Json;

namespace BeneficialRL.Scenarios.Grading.OpenAi;

/// <summary>
/// OpenAI's grader templates: <c>{{ namespace.variable }}</c>, the namespace <c>item</c> (the dataset row, any member,
/// nested with dots or <c>[n]</c>) or <c>sample</c> (<c>output_text</c>, or <c>output_json</c> and a path into it when
/// the sample is JSON). A string value is inserted as is, anything else as its JSON text.
/// </summary>
public static class GraderTemplate
{
    /// <summary>The <c>sample</c> variables that exist.</summary>
    public static readonly IReadOnlyList<string> SampleVariables = ["output_text", "output_json"];

    /// <summary>Every reference in <paramref name="template"/>, or the first syntax error.</summary>
    public static (IReadOnlyList<TemplateReference> References, string? Error) Parse(string template)
    {
        var references = new List<TemplateReference>();
        var at = 0;
        while (true)
        {
            var open = template.IndexOf("{{", at, StringComparison.Ordinal);
            if (open < 0) break;
            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0) return (references, $"'{{{{' at character {open} is never closed with '}}}}'.");
            var inner = template[(open + 2)..close].Trim();
            var (reference, error) = ParseReference(inner);
            if (error is not null) return (references, error);
            references.Add(reference! with { Start = open, End = close + 2 });
            at = close + 2;
        }

        return (references, null);
    }

    /// <summary>Renders <paramref name="template"/> for one item and sample, or says which variable is missing.</summary>
    public static TemplateRendering Render(string template, GraderContext context)
    {
        var (references, error) = Parse(template);
        if (error is not null) return new TemplateRendering(null, TemplateFailure.InvalidVariable, error);
        var text = new StringBuilder();
        var at = 0;
        foreach (var reference in references)
        {
            text.Append(template, at, reference.Start - at);
            var (value, failure, message) = Resolve(reference, context);
            if (failure is not null) return new TemplateRendering(null, failure, message);
            text.Append(value);
            at = reference.End;
        }

        text.Append(template, at, template.Length - at);
        return new TemplateRendering(text.ToString(), null, null);
    }

    private static (string? Value, TemplateFailure? Failure, string? Message) Resolve(TemplateReference reference, GraderContext context)
    {
        JsonElement current;
        IReadOnlyList<string> path;
        if (reference.Namespace == "item")
        {
            if (context.Item is not { } item) return (null, TemplateFailure.InvalidVariable, $"'{{{{{reference.Text}}}}}' names the item, but no item was given.");
            current = item;
            path = reference.Path;
        }
        else if (reference.Path[0] == "output_text")
        {
            if (reference.Path.Count > 1) return (null, TemplateFailure.InvalidVariable, $"'{{{{{reference.Text}}}}}': output_text is a string and has no members.");
            return (context.SampleText, null, null);
        }
        else
        {
            if (context.SampleJson is not { } json)
                return (null, TemplateFailure.SampleParse, $"'{{{{{reference.Text}}}}}' reads the sample as JSON, but the sample is not valid JSON.");
            current = json;
            path = reference.Path.Skip(1).ToList();
        }

        foreach (var segment in path)
        {
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var member))
            {
                current = member;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return (null, TemplateFailure.InvalidVariable, $"'{{{{{reference.Text}}}}}': there is no '{segment}' there.");
            }
        }

        return (current.ValueKind == JsonValueKind.String ? current.GetString() : current.GetRawText(), null, null);
    }

    private static (TemplateReference? Reference, string? Error) ParseReference(string inner)
    {
        if (inner.Length == 0) return (null, "'{{}}' is empty; write {{item.field}} or {{sample.output_text}}.");
        var segments = new List<string>();
        var token = new StringBuilder();
        for (var i = 0; i < inner.Length; i++)
        {
            var c = inner[i];
            if (c == '.')
            {
                if (token.Length == 0) return (null, $"'{{{{{inner}}}}}' has an empty path segment.");
                segments.Add(token.ToString());
                token.Clear();
            }
            else if (c == '[')
            {
                var end = inner.IndexOf(']', i);
                if (end < 0) return (null, $"'{{{{{inner}}}}}' has an unclosed '['.");
                if (token.Length > 0) segments.Add(token.ToString());
                token.Clear();
                var index = inner[(i + 1)..end];
                if (!int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out _)) return (null, $"'{{{{{inner}}}}}': '[{index}]' is not an array index.");
                segments.Add(index);
                i = end;
                if (i + 1 < inner.Length && inner[i + 1] == '.') i++;
            }
            else if (char.IsLetterOrDigit(c) || c is '_' or '-')
            {
                token.Append(c);
            }
            else
            {
                return (null, $"'{{{{{inner}}}}}' has the character '{c}', which a variable path cannot hold.");
            }
        }

        if (token.Length > 0) segments.Add(token.ToString());
        if (segments.Count < 2) return (null, $"'{{{{{inner}}}}}' needs a namespace and a variable, e.g. {{{{item.answer}}}} or {{{{sample.output_text}}}}.");
        var ns = segments[0];
        if (ns is not ("item" or "sample")) return (null, $"'{{{{{inner}}}}}': the namespace '{ns}' does not exist; the namespaces are 'item' and 'sample'.");
        if (ns == "sample" && !SampleVariables.Contains(segments[1]))
            return (null, $"'{{{{{inner}}}}}': the sample has no variable '{segments[1]}'; it has {string.Join(" and ", SampleVariables)}.");
        return (new TemplateReference(inner, ns, segments.Skip(1).ToList(), 0, 0), null);
    }
}

/// <summary>One <c>{{…}}</c> in a template.</summary>
/// <param name="Text">What stands between the braces, trimmed.</param>
/// <param name="Namespace"><c>item</c> or <c>sample</c>.</param>
/// <param name="Path">The variable and the members under it.</param>
/// <param name="Start">Where <c>{{</c> starts.</param>
/// <param name="End">Just past <c>}}</c>.</param>
public sealed record TemplateReference(string Text, string Namespace, IReadOnlyList<string> Path, int Start, int End);

/// <summary>Why a template did not render.</summary>
public enum TemplateFailure
{
    /// <summary>A variable the item or sample does not have (OpenAI's <c>invalid_variable_error</c>).</summary>
    InvalidVariable,

    /// <summary><c>sample.output_json</c> on a sample that is not JSON (OpenAI's <c>sample_parse_error</c>).</summary>
    SampleParse,
}

/// <summary>A rendered template, or why it failed.</summary>
public sealed record TemplateRendering(string? Text, TemplateFailure? Failure, string? Message);

/// <summary>What a grader sees: the dataset item (the <c>item</c> namespace) and the model's sample.</summary>
public sealed record GraderContext
{
    private readonly Lazy<JsonElement?> _sampleJson;

    /// <summary>Creates the context; the sample is parsed as JSON, when a template first reads <c>sample.output_json</c>.</summary>
    public GraderContext(JsonElement? item, string sampleText)
    {
        Item = item;
        SampleText = sampleText;
        _sampleJson = new Lazy<JsonElement?>(() => ParseJson(sampleText));
    }

    /// <summary>The item, if any.</summary>
    public JsonElement? Item { get; }

    /// <summary>The sample's text (<c>sample.output_text</c>).</summary>
    public string SampleText { get; }

    /// <summary>The sample as JSON, when it parses (<c>sample.output_json</c>).</summary>
    public JsonElement? SampleJson => _sampleJson.Value;

    private static JsonElement? ParseJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
