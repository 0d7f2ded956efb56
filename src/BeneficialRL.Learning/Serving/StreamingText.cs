using BeneficialRL.Learning.Generation;
using BeneficialRL.Learning.Tokenization;

namespace BeneficialRL.Learning.Serving;

/// <summary>
/// Turns one choice's tokens into text deltas as they are sampled: a delta never holds text that a stop sequence
/// could still claim (the last <c>longest stop − 1</c> characters wait) nor half of a UTF-8 sequence.
/// </summary>
internal sealed class StreamingText(PolicyTokenizer tokenizer, IReadOnlyList<string> stops)
{
    private readonly List<int> _ids = [];
    private readonly int _holdBack = stops.Count == 0 ? 0 : stops.Max(s => s.Length) - 1;
    private int _emitted;
    private bool _stopped;

    /// <summary>The text that became final with <paramref name="token"/> (possibly empty).</summary>
    public string Append(int token)
    {
        if (_stopped) return string.Empty;
        _ids.Add(token);
        var text = tokenizer.Decode(_ids);
        if (stops.Count > 0 && TextGenerator.FirstStop(text, stops) >= 0)
        {
            // The generator cuts the text here; the cut text arrives through Remainder.
            _stopped = true;
            return string.Empty;
        }

        var safe = text.Length - _holdBack;
        while (safe > 0 && text[safe - 1] == '\uFFFD') safe--;
        if (safe > 0 && char.IsHighSurrogate(text[safe - 1])) safe--;
        if (safe <= _emitted) return string.Empty;
        var delta = text[_emitted..safe];
        _emitted = safe;
        return delta;
    }

    /// <summary>What of the choice's final text has not been emitted yet.</summary>
    public string Remainder(string finalText) => finalText.Length > _emitted ? finalText[_emitted..] : string.Empty;
}
