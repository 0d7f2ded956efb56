using System.Runtime.CompilerServices;
using System.Threading.Channels;
using BeneficialRL.Contracts.Inference;
using BeneficialRL.Grains.Placement;
using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Generation;
using BeneficialRL.Learning.Serving;
using Orleans.Concurrency;

namespace BeneficialRL.Grains.Inference;

/// <summary>
/// Inference on one checkpoint, on the trainer silo that holds it loaded (<see cref="LoadedCheckpoints"/>). Stateless:
/// the engine does the work on its own thread, off every grain turn.
/// </summary>
[TrainerPlacementFilter]
[Reentrant] // Requests to one checkpoint must reach its engine together to be batched; no turn changes grain fields across an await.
public sealed class InferenceGrain(LoadedCheckpoints loaded) : Grain, IInferenceGrain
{
    /// <inheritdoc />
    public async Task<InferenceOutcome> CompleteAsync(InferenceJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        using var lease = await loaded.AcquireAsync(this.GetPrimaryKeyString(), CancellationToken.None);
        var (requests, error) = Requests(lease.Engine, job);
        if (error is not null) return new InferenceOutcome { Error = error };
        IReadOnlyList<InferenceResult> results;
        try
        {
            results = await lease.Engine.RunAsync(requests!, cancellationToken: cancellationToken);
        }
        catch (ArgumentException e)
        {
            return new InferenceOutcome { Error = ErrorOf(e, job) };
        }

        return new InferenceOutcome { Prompts = [.. results.Select(r => ToContract(lease.Engine, r))] };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<InferenceDelta> StreamAsync(InferenceJob job, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        using var lease = await loaded.AcquireAsync(this.GetPrimaryKeyString(), CancellationToken.None);
        // Cancelled with the caller's token, and when the caller stops enumerating early (the enumerator is disposed at
        // a yield, which runs the finally below): either way the engine drops the rows at its next token.
        using var abandoned = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var (requests, error) = Requests(lease.Engine, job);
        var deltas = Channel.CreateUnbounded<InferenceDelta>(new UnboundedChannelOptions { SingleReader = true });
        Task<IReadOnlyList<InferenceResult>>? run = null;
        if (error is null)
        {
            try
            {
                run = lease.Engine.RunAsync(requests!, (prompt, choice, text) => deltas.Writer.TryWrite(new InferenceDelta { Prompt = prompt, Choice = choice, Text = text }), abandoned.Token);
            }
            catch (ArgumentException e)
            {
                error = ErrorOf(e, job);
            }
        }

        if (run is null)
        {
            yield return new InferenceDelta { Error = error };
            yield break;
        }

        try
        {
            _ = run.ContinueWith(_ => deltas.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            if (job.Echo)
            {
                // The echoed prompt comes first, as the non-streamed text starts with it.
                for (var p = 0; p < requests!.Count; p++)
                {
                    var prompt = lease.Engine.Tokenizer.Decode(requests[p].PromptIds);
                    for (var c = 0; c < job.N; c++) yield return new InferenceDelta { Prompt = p, Choice = c, Text = prompt };
                }
            }

            await foreach (var delta in deltas.Reader.ReadAllAsync()) yield return delta;
            var results = await run;
            for (var p = 0; p < results.Count; p++)
            {
                // The log-probabilities of a choice travel with its last delta (clients append each chunk's logprobs, so
                // they end with the same list as the non-streamed response).
                var contract = ToContract(lease.Engine, results[p]);
                for (var c = 0; c < contract.Choices.Length; c++)
                {
                    yield return new InferenceDelta { Prompt = p, Choice = c, FinishReason = contract.Choices[c].FinishReason, LogProbs = contract.Choices[c].LogProbs };
                }
            }

            yield return new InferenceDelta { PromptTokens = results.Sum(r => r.PromptTokens), CompletionTokens = results.Sum(r => r.CompletionTokens) };
        }
        finally
        {
            await abandoned.CancelAsync();
        }
    }

    /// <inheritdoc />
    public async Task<TokenizeOutcome> TokenizeAsync(TokenizeJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        using var lease = await loaded.AcquireAsync(this.GetPrimaryKeyString(), CancellationToken.None);
        var engine = lease.Engine;
        if (job.Messages is { } messages)
        {
            var (turns, error) = Turns(messages);
            return error is not null ? new TokenizeOutcome { Error = error } : new TokenizeOutcome { Tokens = [.. engine.Template.RenderPrompt(turns!)], MaxModelLength = engine.MaxSequenceLength };
        }

        var text = job.Text ?? string.Empty;
        int[] tokens = job.AddSpecialTokens ? [.. engine.Template.RenderPlain(text)] : [.. engine.Tokenizer.Encode(text)];
        return new TokenizeOutcome { Tokens = tokens, MaxModelLength = engine.MaxSequenceLength };
    }

    /// <inheritdoc />
    public async Task<DetokenizeOutcome> DetokenizeAsync(int[] tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        using var lease = await loaded.AcquireAsync(this.GetPrimaryKeyString(), CancellationToken.None);
        var vocabulary = lease.Engine.Tokenizer.VocabularySize;
        var bad = Array.FindIndex(tokens, id => id < 0 || id >= vocabulary);
        return bad >= 0
            ? new DetokenizeOutcome { Error = new InferenceError($"tokens[{bad}]", $"Token id {tokens[bad]} is outside this model's vocabulary (0..{vocabulary - 1}).", null) }
            : new DetokenizeOutcome { Text = lease.Engine.Tokenizer.Decode(tokens) };
    }

    /// <inheritdoc />
    public async Task<TokenizerSummary> GetTokenizerAsync()
    {
        using var lease = await loaded.AcquireAsync(this.GetPrimaryKeyString(), CancellationToken.None);
        var tokenizer = lease.Engine.Tokenizer;
        return new TokenizerSummary
        {
            BosToken = tokenizer.TokenText(tokenizer.Special.Bos),
            EosToken = tokenizer.TokenText(tokenizer.Special.Eos),
            PadToken = tokenizer.TokenText(tokenizer.Special.Pad),
            ChatTemplate = lease.Engine.Template.ToJinja(),
            MaxModelLength = lease.Engine.MaxSequenceLength,
            VocabularySize = tokenizer.VocabularySize,
            Kind = tokenizer.Describe().Kind,
            BosTokenId = tokenizer.Special.Bos,
            EosTokenId = tokenizer.Special.Eos,
        };
    }

    private static (List<InferenceRequest>? Requests, InferenceError? Error) Requests(InferenceEngine engine, InferenceJob job)
    {
        var requests = new List<InferenceRequest>(job.Prompts.Length);
        foreach (var prompt in job.Prompts)
        {
            IReadOnlyList<int> ids;
            if (prompt.Messages is { } messages)
            {
                var (turns, error) = Turns(messages);
                if (error is not null) return (null, error);
                ids = engine.Template.RenderPrompt(turns!);
            }
            else
            {
                // Text gets the beginning-of-sequence token the model was trained with; token ids are used exactly as given.
                ids = prompt.TokenIds ?? (IReadOnlyList<int>)engine.Template.RenderPlain(prompt.Text ?? string.Empty);
            }

            requests.Add(new InferenceRequest
            {
                PromptIds = ids,
                MaxNewTokens = job.MaxTokens ?? Math.Max(0, engine.MaxSequenceLength - ids.Count),
                Temperature = job.Temperature,
                TopP = job.TopP,
                Stop = job.Stop,
                N = job.N,
                Seed = job.Seed,
                Echo = job.Echo,
                TopLogProbs = job.TopLogProbs,
            });
        }

        return (requests, null);
    }

    private static (List<ChatTurn>? Turns, InferenceError? Error) Turns(InferenceMessage[] messages)
    {
        var turns = new List<ChatTurn>(messages.Length);
        for (var i = 0; i < messages.Length; i++)
        {
            ChatRole? role = messages[i].Role switch
            {
                "system" or "developer" => ChatRole.System,
                "user" => ChatRole.User,
                "assistant" => ChatRole.Assistant,
                _ => null,
            };
            if (role is null) return (null, new InferenceError($"messages[{i}].role", $"Role '{messages[i].Role}' is not supported; use system, developer, user or assistant.", null));
            turns.Add(new ChatTurn(role.Value, messages[i].Content));
        }

        return (turns, null);
    }

    private static InferenceError ErrorOf(ArgumentException e, InferenceJob job)
    {
        var param = e.ParamName ?? "prompt";
        var chat = job.Prompts.Any(p => p.Messages is not null);
        if (chat && param == "prompt") param = "messages";
        var message = e.ParamName is { } name && e.Message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal) ? e.Message[..^$" (Parameter '{name}')".Length] : e.Message;
        return new InferenceError(param, message, message.Contains("maximum context length", StringComparison.Ordinal) ? "context_length_exceeded" : null);
    }

    private static string FinishOf(FinishReason reason) => reason == FinishReason.Length ? "length" : "stop";

    private static InferencePromptResult ToContract(InferenceEngine engine, InferenceResult result) => new()
    {
        PromptTokens = result.PromptTokens,
        Choices =
        [
            .. result.Choices.Select(c => new InferenceChoiceResult
            {
                Text = c.Text,
                FinishReason = FinishOf(c.FinishReason),
                CompletionTokens = c.CompletionIds.Count,
                LogProbs = c.LogProbs is null ? null :
                [
                    .. c.LogProbs.Select(t => new TokenLogProbEntry
                    {
                        Token = engine.Tokenizer.TokenText(t.TokenId),
                        TokenId = t.TokenId,
                        LogProb = t.LogProb,
                        Top = [.. t.Top.Select(a => new TokenCandidate(engine.Tokenizer.TokenText(a.TokenId), a.LogProb))],
                    }),
                ],
            }),
        ],
    };
}
