using BeneficialRL.Learning.Tokenization;
using BeneficialRL.Learning.Training;

namespace BeneficialRL.Learning.Generation;

/// <summary>One sequence of a <see cref="ContinuousBatch"/>: its prompt, settings, the tokens sampled so far and, once finished, its result.</summary>
public sealed class DecodeRow
{
    private readonly List<int> _generated = [];
    private readonly List<float> _logProbs = [];

    internal DecodeRow(IReadOnlyList<int> promptIds, SamplingOptions options)
    {
        PromptIds = promptIds;
        Options = options;
        Random = new DeterministicRandom(options.Seed);
    }

    /// <summary>The prompt.</summary>
    public IReadOnlyList<int> PromptIds { get; }

    /// <summary>How the row samples.</summary>
    public SamplingOptions Options { get; }

    /// <summary>Token ids sampled so far.</summary>
    public IReadOnlyList<int> Generated => _generated;

    /// <summary>The completion once the row finished; null while it decodes (or after it left without one).</summary>
    public GenerationResult? Result { get; private set; }

    /// <summary>Finished or left: the batch samples nothing more for it.</summary>
    public bool IsDone { get; internal set; }

    /// <summary>The row's own sampling stream.</summary>
    internal DeterministicRandom Random { get; }

    /// <summary>The last sampled token, fed at the next step.</summary>
    internal long Pending { get; private set; }

    /// <summary>Tokens of this row in the batch's cache.</summary>
    internal long Cached { get; set; }

    /// <summary>Appends a sampled token and applies the stop rules: end of turn, a stop sequence, the token budget.</summary>
    internal void Accept(int token, float logProb, PolicyTokenizer tokenizer)
    {
        _generated.Add(token);
        _logProbs.Add(logProb);
        Pending = token;
        FinishReason? finish = null;
        string? text = null;
        if (token == tokenizer.Special.Eos && Options.StopAtEndOfTurn)
        {
            finish = FinishReason.EndOfTurn;
        }
        else if (Options.StopSequences.Count > 0)
        {
            var decoded = tokenizer.Decode(_generated);
            var cut = TextGenerator.FirstStop(decoded, Options.StopSequences);
            if (cut >= 0)
            {
                finish = FinishReason.StopSequence;
                text = decoded[..cut];
            }
        }

        if (finish is null && _generated.Count >= Options.MaxNewTokens) finish = FinishReason.Length;
        if (finish is null) return;
        IsDone = true;
        Result = new GenerationResult(text ?? tokenizer.Decode(_generated), [.. _generated], [.. _logProbs], finish.Value);
    }
}
