using BeneficialRL.Learning.Tokenization;

namespace BeneficialRL.Learning.Chat;

/// <summary>
/// The one rendering of conversations into token ids, shared by SFT, GRPO, generation and scoring:
/// <c>&lt;bos&gt; (&lt;role&gt; text &lt;eos&gt;)* &lt;assistant&gt;</c>. Tokenizers without role tokens
/// (imported models) get the role written as a text header instead.
/// </summary>
public sealed class ChatTemplate
{
    private readonly PolicyTokenizer _tokenizer;

    /// <summary>A template over <paramref name="tokenizer"/>.</summary>
    public ChatTemplate(PolicyTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokenizer = tokenizer;
    }

    /// <summary>The tokenizer behind the template.</summary>
    public PolicyTokenizer Tokenizer => _tokenizer;

    /// <summary>Ids of the earlier turns followed by the header of the assistant turn to be generated.</summary>
    public List<int> RenderPrompt(IReadOnlyList<ChatTurn> turns)
    {
        ArgumentNullException.ThrowIfNull(turns);
        var ids = new List<int> { _tokenizer.Special.Bos };
        foreach (var turn in turns)
        {
            ids.AddRange(Header(turn.Role));
            ids.AddRange(_tokenizer.Encode(turn.Content));
            ids.Add(_tokenizer.Special.Eos);
        }

        ids.AddRange(Header(ChatRole.Assistant));
        return ids;
    }

    /// <summary>Ids of an assistant response, closed by the end-of-turn token (what SFT trains on).</summary>
    public List<int> RenderResponse(string response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var ids = new List<int>(_tokenizer.Encode(response)) { _tokenizer.Special.Eos };
        return ids;
    }

    /// <summary>Ids of plain text with a leading beginning-of-sequence token (no chat structure).</summary>
    public List<int> RenderPlain(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int> { _tokenizer.Special.Bos };
        ids.AddRange(_tokenizer.Encode(text));
        return ids;
    }

    /// <summary>
    /// This template in Hugging Face's Jinja convention (<c>messages</c>, <c>add_generation_prompt</c>, <c>bos_token</c>,
    /// <c>eos_token</c>), for harnesses that render conversations themselves. Role markers that are control tokens
    /// appear by name; text is never parsed back into control tokens, so a conversation sent as messages is exact while
    /// one rendered to text and tokenized is not.
    /// </summary>
    public string ToJinja()
    {
        var special = _tokenizer.Special;
        string Header(ChatRole role, int? marker) => marker is { } id ? _tokenizer.ControlTokenName(id)! : $"{role}: ";
        return "{{ bos_token }}{% for message in messages %}"
            + $"{{% if message['role'] == 'system' %}}{Header(ChatRole.System, special.System)}"
            + $"{{% elif message['role'] == 'user' %}}{Header(ChatRole.User, special.User)}"
            + $"{{% else %}}{Header(ChatRole.Assistant, special.Assistant)}{{% endif %}}"
            + "{{ message['content'] }}{{ eos_token }}{% endfor %}"
            + $"{{% if add_generation_prompt %}}{Header(ChatRole.Assistant, special.Assistant)}{{% endif %}}";
    }

    private IEnumerable<int> Header(ChatRole role)
    {
        var special = _tokenizer.Special;
        int? marker = role switch
        {
            ChatRole.System => special.System,
            ChatRole.User => special.User,
            _ => special.Assistant,
        };
        return marker is { } id ? [id] : _tokenizer.Encode($"{role}: ");
    }
}
