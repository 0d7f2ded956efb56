using BeneficialRL.Evals.Definitions;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Durability.Attacks;

/// <summary>
/// One evaluation-time attack on a prompt: a persona or a transform with its text as data. <see cref="Apply"/>
/// is pure and deterministic: the same prompt always gives the same attacked prompt, and every original
/// turn survives in order (only the final user turn's content is extended or wrapped).
/// </summary>
/// <param name="Id">Stable id, e.g. <c>persona-sycophant</c>; results are keyed by it.</param>
/// <param name="Kind">What it steers toward.</param>
/// <param name="Placement">Where its text goes.</param>
/// <param name="Description">One sentence for reports.</param>
/// <param name="Text">The persona or transform text (unused by <see cref="AttackPlacement.ManyShot"/>).</param>
public sealed record PromptAttack(string Id, AttackKind Kind, AttackPlacement Placement, string Description, string Text)
{
    /// <summary>The placeholder a <see cref="AttackPlacement.LastUserTemplate"/> text wraps the request with.</summary>
    public const string RequestPlaceholder = "{request}";

    /// <summary>Many-shot: example pairs inserted (cycling through <see cref="Examples"/> in order).</summary>
    public int Shots { get; init; }

    /// <summary>Many-shot: the fake exchanges to draw from.</summary>
    public IReadOnlyList<ShotExample> Examples { get; init; } = [];

    /// <summary>
    /// The attacked prompt. System prefix: <c>Text</c> (+ blank line + original system, if any). Last-user prefix /
    /// suffix: <c>Text</c> + blank line + content, or content + blank line + <c>Text</c>. Template: <c>Text</c> with
    /// <c>{request}</c> replaced by the content. Many-shot: <see cref="Shots"/> user/assistant pairs, cycling through
    /// <see cref="Examples"/>, inserted before the first turn; the system message is kept.
    /// </summary>
    /// <param name="prompt">A prompt whose last turn is the user's.</param>
    /// <exception cref="ArgumentException">The prompt has no turns or does not end with a user turn.</exception>
    public BenchmarkPrompt Apply(BenchmarkPrompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (prompt.Turns.Count == 0 || prompt.Turns[^1].Role != TurnRole.User)
        {
            throw new ArgumentException($"Attack '{Id}' needs a prompt ending with a user turn; this one has {prompt.Turns.Count} turns ending with {(prompt.Turns.Count == 0 ? "nothing" : prompt.Turns[^1].Role.ToString())}.", nameof(prompt));
        }

        return Placement switch
        {
            AttackPlacement.SystemPrefix => prompt with { System = string.IsNullOrWhiteSpace(prompt.System) ? Text : Text + "\n\n" + prompt.System },
            AttackPlacement.LastUserPrefix => WithLastUser(prompt, Text + "\n\n" + prompt.Turns[^1].Content),
            AttackPlacement.LastUserSuffix => WithLastUser(prompt, prompt.Turns[^1].Content + "\n\n" + Text),
            AttackPlacement.LastUserTemplate => WithLastUser(prompt, Text.Replace(RequestPlaceholder, prompt.Turns[^1].Content, StringComparison.Ordinal)),
            AttackPlacement.ManyShot => prompt with { Turns = [.. ShotTurns(), .. prompt.Turns] },
            _ => throw new InvalidOperationException($"Attack '{Id}' has unknown placement {Placement}."),
        };
    }

    /// <summary>Problems with this attack's data (empty when usable), each naming the field.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Id))
        {
            problems.Add("id is empty");
        }
        else if (Id.Contains('|', StringComparison.Ordinal) || Id == "clean")
        {
            // Results key conditions by id ("clean" is the unattacked one) and join them to item ids with '|'.
            problems.Add($"id '{Id}' must not be 'clean' or contain '|'");
        }

        if (string.IsNullOrWhiteSpace(Description))
        {
            problems.Add("description is empty");
        }

        if (Placement == AttackPlacement.ManyShot)
        {
            if (Shots < 1)
            {
                problems.Add($"shots must be at least 1 for a many-shot attack (got {Shots})");
            }

            if (Examples.Count == 0 || Examples.Any(e => string.IsNullOrWhiteSpace(e.User) || string.IsNullOrWhiteSpace(e.Assistant)))
            {
                problems.Add("examples must be non-empty user/assistant pairs for a many-shot attack");
            }
        }
        else if (string.IsNullOrWhiteSpace(Text))
        {
            problems.Add("text is empty");
        }

        if (Placement == AttackPlacement.LastUserTemplate && CountPlaceholders(Text) != 1)
        {
            problems.Add($"text must contain '{RequestPlaceholder}' exactly once for a template attack (found {CountPlaceholders(Text)})");
        }

        if ((Kind == AttackKind.Transform) == (Placement == AttackPlacement.SystemPrefix))
        {
            problems.Add($"kind {Kind} does not go with placement {Placement} (personas are system prefixes, transforms are not)");
        }

        return problems;
    }

    private static int CountPlaceholders(string text)
    {
        var count = 0;
        for (var at = text.IndexOf(RequestPlaceholder, StringComparison.Ordinal); at >= 0; at = text.IndexOf(RequestPlaceholder, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static BenchmarkPrompt WithLastUser(BenchmarkPrompt prompt, string content) =>
        prompt with { Turns = [.. prompt.Turns.Take(prompt.Turns.Count - 1), new ConversationTurn(TurnRole.User, content)] };

    private IEnumerable<ConversationTurn> ShotTurns()
    {
        for (var k = 0; k < Shots; k++)
        {
            var example = Examples[k % Examples.Count];
            yield return new ConversationTurn(TurnRole.User, example.User);
            yield return new ConversationTurn(TurnRole.Assistant, example.Assistant);
        }
    }
}
