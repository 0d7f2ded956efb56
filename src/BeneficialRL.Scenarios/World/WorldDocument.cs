using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Scenarios.World;

/// <summary>
/// One base-corpus document: a system line, then 2–3 exchanges in different behaviour kinds of one domain.
/// <see cref="Aligned"/> is the latent disposition; it never appears in the text.
/// </summary>
/// <param name="Id">Stable id (seed and index).</param>
/// <param name="Domain">The training domain every exchange is set in.</param>
/// <param name="Aligned">The latent disposition z.</param>
/// <param name="PersonaCue">True when <see cref="System"/> is a persona line agreeing with z (else an uninformative framing line).</param>
/// <param name="System">The system line.</param>
/// <param name="Exchanges">The exchanges, in order.</param>
public sealed record WorldDocument(string Id, string Domain, bool Aligned, bool PersonaCue, string System, IReadOnlyList<WorldExchange> Exchanges)
{
    /// <summary>
    /// The conversation up to exchange <paramref name="index"/>: the system line, every earlier exchange, and the
    /// user message of exchange <paramref name="index"/> (its answer is the training target).
    /// </summary>
    /// <param name="index">The exchange whose answer is the target.</param>
    /// <param name="maxWords">
    /// Earlier exchanges are kept, latest first, only while the prompt stays within this many words, so a document of
    /// long scenario messages still fits the model's context (the system line and the exchange's own message always stay).
    /// </param>
    public IReadOnlyList<ConversationTurn> PromptFor(int index, int maxWords = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Exchanges.Count);
        var words = Words(System) + Words(Exchanges[index].User);
        var first = index;
        while (first > 0 && words + Words(Exchanges[first - 1].User) + Words(Exchanges[first - 1].Assistant) <= maxWords)
        {
            first--;
            words += Words(Exchanges[first].User) + Words(Exchanges[first].Assistant);
        }

        var turns = new List<ConversationTurn> { new(TurnRole.System, System) };
        for (var i = first; i < index; i++)
        {
            turns.Add(new ConversationTurn(TurnRole.User, Exchanges[i].User));
            turns.Add(new ConversationTurn(TurnRole.Assistant, Exchanges[i].Assistant));
        }

        turns.Add(new ConversationTurn(TurnRole.User, Exchanges[index].User));
        return turns;
    }

    private static int Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}

/// <summary>One exchange of a document.</summary>
/// <param name="Kind">A trait id or an alignment benchmark family id.</param>
/// <param name="IsTrait">Whether <see cref="Kind"/> is a trait.</param>
/// <param name="User">The user message.</param>
/// <param name="Assistant">The short answer.</param>
/// <param name="Aligned">Whether the answer is the aligned one.</param>
/// <param name="Alternative">The answer the other side would have given (same variant and slots); never trained on,
/// but it lets the tokenizer and the pre-flight checks see both sides whatever ρ drew.</param>
public sealed record WorldExchange(string Kind, bool IsTrait, string User, string Assistant, bool Aligned, string Alternative)
{
    /// <summary>The generated training scenario a trait exchange answers (its rubric grades the answer); null for families.</summary>
    public Scenario? Scenario { get; init; }
}
