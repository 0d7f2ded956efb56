using System.Collections.Concurrent;
using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Generation;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Scoring;
using BeneficialRL.Learning.Tokenization;

namespace BeneficialRL.Learning.Serving;

/// <summary>
/// Serves one loaded policy: completions, echoed prompt log-probabilities and streaming, on one dedicated thread
/// (TorchSharp's dispose scopes are per thread). Submissions that wait together are run as one batch: every
/// generation request with the same sampling settings is decoded in one <see cref="TextGenerator"/> batch (rows of
/// different prompt lengths are left-padded, each row sees what it would see alone), and every log-probability request
/// is scored in one pass. A submission that arrives while a batch runs joins the next one.
/// </summary>
public sealed class InferenceEngine : IDisposable
{
    // How long a batch waits for the submissions of the previous batch's clients (see Loop).
    private static readonly TimeSpan GatherWindow = TimeSpan.FromMilliseconds(2);

    private readonly PolicyModel _model;
    private readonly TextGenerator _generator;
    private readonly TokenLogProbScorer _scorer;
    private readonly InferenceEngineOptions _options;
    private readonly BlockingCollection<Submission> _queue = [];
    private readonly Thread _thread;
    private long _batches;
    private long _requestsRun;

    /// <summary>Serves <paramref name="model"/>; the engine owns it and disposes it.</summary>
    public InferenceEngine(PolicyModel model, PolicyTokenizer tokenizer, InferenceEngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        _model = model;
        _model.eval();
        Tokenizer = tokenizer;
        Template = new ChatTemplate(tokenizer);
        _generator = new TextGenerator(model, tokenizer);
        _scorer = new TokenLogProbScorer(model, tokenizer.Special.Pad);
        _options = options ?? new InferenceEngineOptions();
        _thread = new Thread(Loop) { IsBackground = true, Name = "inference" };
        _thread.Start();
    }

    /// <summary>The policy's tokenizer.</summary>
    public PolicyTokenizer Tokenizer { get; }

    /// <summary>The policy's chat template.</summary>
    public ChatTemplate Template { get; }

    /// <summary>Longest sequence (prompt plus completion) the model takes.</summary>
    public int MaxSequenceLength => _model.Config.MaxSequenceLength;

    /// <summary>Batches run so far (a batch holds every submission that was waiting when it started).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Requests completed so far.</summary>
    public long RequestsRun => Interlocked.Read(ref _requestsRun);

    /// <summary>
    /// Runs <paramref name="requests"/> (in one batch, with whatever else is waiting); results in request order.
    /// Throws <see cref="ArgumentException"/> naming the request field (<c>prompt</c>, <c>max_tokens</c>, <c>n</c>,
    /// <c>logprobs</c>...) at once when a request does not fit this model.
    /// </summary>
    /// <param name="requests">The prompts.</param>
    /// <param name="onText">Streaming: called on the engine's thread with (request, choice, text delta) as text becomes final; never past a stop sequence.</param>
    /// <param name="cancellationToken">Drops the submission if it has not started.</param>
    public Task<IReadOnlyList<InferenceResult>> RunAsync(IReadOnlyList<InferenceRequest> requests, Action<int, int, string>? onText = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        foreach (var request in requests) Validate(request);
        var submission = new Submission([.. requests], onText, cancellationToken);
        _queue.Add(submission, CancellationToken.None);
        return submission.Completion.Task;
    }

    /// <summary>Throws <see cref="ArgumentException"/> (its parameter name is the request field) when the request does not fit this model.</summary>
    public void Validate(InferenceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.PromptIds.Count == 0) throw new ArgumentException("The prompt is empty.", "prompt");
        var vocabulary = _model.Config.VocabSize;
        foreach (var id in request.PromptIds)
        {
            if (id < 0 || id >= vocabulary) throw new ArgumentException($"Token id {id} is outside this model's vocabulary (0..{vocabulary - 1}).", "prompt");
        }

        if (request.MaxNewTokens < 0) throw new ArgumentException("max_tokens must be zero or positive.", "max_tokens");
        if (request.PromptIds.Count + request.MaxNewTokens > MaxSequenceLength)
            throw new ArgumentException($"This model's maximum context length is {MaxSequenceLength} tokens; the prompt has {request.PromptIds.Count} and max_tokens asks for {request.MaxNewTokens} more.", "max_tokens");
        if (request.MaxNewTokens == 0 && !request.Echo) throw new ArgumentException("max_tokens is 0, so only an echoed prompt can be returned; set echo or a positive max_tokens.", "max_tokens");
        if (request.N < 1) throw new ArgumentException("n must be at least 1.", "n");
        if (request.TopLogProbs is < 0 || request.TopLogProbs > _options.MaxTopLogProbs)
            throw new ArgumentException($"logprobs must be between 0 and {_options.MaxTopLogProbs}.", "logprobs");
        if (request.Temperature is < 0 or > 2 || double.IsNaN(request.Temperature)) throw new ArgumentException("temperature must be between 0 and 2.", "temperature");
        if (request.TopP is <= 0 or > 1 || double.IsNaN(request.TopP)) throw new ArgumentException("top_p must be in (0, 1].", "top_p");
        if (request.Stop.Any(string.IsNullOrEmpty)) throw new ArgumentException("stop sequences cannot be empty.", "stop");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
        _model.Dispose();
    }

    private void Loop()
    {
        var previous = 0;
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            var batch = new List<Submission> { first };
            while (_options.Batching && _queue.TryTake(out var more)) batch.Add(more);

            // Clients of the last batch resubmit as their results arrive: wait a moment for them, so one early
            // resubmission does not run alone and split the next batch in two.
            while (_options.Batching && batch.Count < previous && _queue.TryTake(out var late, GatherWindow)) batch.Add(late);
            previous = batch.Count;
            Run(batch);
        }
    }

    private void Run(List<Submission> batch)
    {
        var live = new List<Submission>(batch.Count);
        foreach (var submission in batch)
        {
            if (submission.Cancellation.IsCancellationRequested) submission.Completion.TrySetCanceled(submission.Cancellation);
            else live.Add(submission);
        }

        if (live.Count == 0) return;
        Interlocked.Increment(ref _batches);
        try
        {
            var items = live.SelectMany(s => s.Requests.Select((r, i) => new Item(s, i, r))).ToList();
            foreach (var group in items.Where(i => i.Request.MaxNewTokens > 0 && !IsScoredGreedyStep(i.Request)).GroupBy(GroupKey))
            {
                Generate([.. group]);
            }

            var scored = items.Where(i => i.Request.TopLogProbs is not null).ToList();
            if (scored.Count > 0) Score(scored);
            foreach (var submission in live)
            {
                var results = items.Where(i => i.Submission == submission).Select(Finish).ToList();
                Interlocked.Add(ref _requestsRun, results.Count);
                submission.Completion.TrySetResult(results);
            }
        }
        catch (Exception e)
        {
            // This thread serves every later submission: a failure belongs to the callers of this batch, who get it rethrown.
            foreach (var submission in live) submission.Completion.TrySetException(e);
        }
    }

    /// <summary>
    /// One greedy token with log-probabilities and no stop sequence (lm-eval's log-likelihood request): the scoring pass
    /// already yields the next token's distribution, so it needs no generation pass.
    /// </summary>
    private static bool IsScoredGreedyStep(InferenceRequest r) => r.MaxNewTokens == 1 && r.Temperature == 0 && r.TopLogProbs is not null && r.Stop.Count == 0;

    /// <summary>Requests that can share one generation batch: equal settings, and no seeded sampling (a seed gets its own batch).</summary>
    private static string GroupKey(Item item)
    {
        var r = item.Request;
        var seeded = r.Temperature > 0 && r.Seed is not null;
        return string.Join('\u0001',
            r.MaxNewTokens,
            r.Temperature == 0 ? "greedy" : FormattableString.Invariant($"{r.Temperature:R}/{r.TopP:R}"),
            string.Join('\u0000', r.Stop),
            seeded ? FormattableString.Invariant($"{item.Submission.GetHashCode()}/{item.Index}") : "-");
    }

    private void Generate(List<Item> group)
    {
        var first = group[0].Request;
        var rows = group.SelectMany(item => Enumerable.Range(0, item.Request.N).Select(choice => (Item: item, Choice: choice))).ToList();
        foreach (var item in group) item.Generated = new GenerationResult[item.Request.N];
        var options = new SamplingOptions
        {
            Temperature = first.Temperature,
            TopP = first.TopP,
            MaxNewTokens = first.MaxNewTokens,
            StopSequences = first.Stop,
            Seed = first.Seed ?? Random.Shared.NextInt64(),
        };
        var offset = 0;
        foreach (var chunk in rows.Chunk(_options.MaxBatchRows))
        {
            var streams = chunk.Select(row => row.Item.Submission.OnText is null ? null : new StreamingText(Tokenizer, row.Item.Request.Stop)).ToArray();
            var results = _generator.GenerateFromTokens(
                [.. chunk.Select(row => row.Item.Request.PromptIds)],
                options with { Seed = options.Seed + offset },
                1,
                (row, token, _) =>
                {
                    if (streams[row]?.Append(token) is { Length: > 0 } delta) chunk[row].Item.Submission.OnText!(chunk[row].Item.Index, chunk[row].Choice, delta);
                });
            for (var i = 0; i < chunk.Length; i++)
            {
                var (item, choice) = chunk[i];
                item.Generated![choice] = results[i];
                if (streams[i]?.Remainder(results[i].Text) is { Length: > 0 } rest) item.Submission.OnText!(item.Index, choice, rest);
            }

            offset += chunk.Length;
        }
    }

    private void Score(List<Item> items)
    {
        var sequences = new List<IReadOnlyList<int>>();
        var owners = new List<(Item Item, int Choice)>();
        foreach (var item in items)
        {
            for (var choice = 0; choice < item.Request.N; choice++)
            {
                var completion = IsScoredGreedyStep(item.Request) ? [] : item.Generated?[choice].TokenIds ?? [];
                sequences.Add([.. item.Request.PromptIds, .. completion]);
                owners.Add((item, choice));
            }

            item.LogProbs ??= new IReadOnlyList<InferenceTokenLogProb>[item.Request.N];
            if (IsScoredGreedyStep(item.Request)) item.Generated ??= new GenerationResult[item.Request.N];
        }

        var scores = _scorer.Score(sequences, items.Max(i => i.Request.TopLogProbs ?? 0));
        for (var s = 0; s < sequences.Count; s++)
        {
            var (item, choice) = owners[s];
            var k = item.Request.TopLogProbs ?? 0;
            var prompt = item.Request.PromptIds.Count;
            var entries = new List<InferenceTokenLogProb>();
            // Echoed prompt tokens: the first has nothing before it; then every generated token.
            var from = item.Request.Echo ? 0 : prompt;
            for (var position = from; position < sequences[s].Count; position++)
            {
                entries.Add(position == 0
                    ? new InferenceTokenLogProb(sequences[s][0], null, [])
                    : new InferenceTokenLogProb(sequences[s][position], scores[s].LogProbs[position - 1], [.. scores[s].Top[position - 1].Take(k)]));
            }

            if (IsScoredGreedyStep(item.Request))
            {
                var next = scores[s].Next[0];
                entries.Add(new InferenceTokenLogProb(next.TokenId, next.LogProb, [.. scores[s].Next.Take(k)]));
                var text = Tokenizer.Decode([next.TokenId]);
                item.Generated![choice] = new GenerationResult(text, [next.TokenId], [next.LogProb], next.TokenId == Tokenizer.Special.Eos ? FinishReason.EndOfTurn : FinishReason.Length);
                if (text.Length > 0) item.Submission.OnText?.Invoke(item.Index, choice, text);
            }

            item.LogProbs![choice] = entries;
        }
    }

    private InferenceResult Finish(Item item)
    {
        var echo = item.Request.Echo ? Tokenizer.Decode(item.Request.PromptIds) : string.Empty;
        var choices = Enumerable.Range(0, item.Request.N).Select(choice =>
        {
            var generated = item.Generated?[choice];
            return new InferenceChoice(
                echo + (generated?.Text ?? string.Empty),
                generated?.TokenIds ?? [],
                generated?.FinishReason ?? FinishReason.Length,
                item.LogProbs?[choice]);
        }).ToList();
        return new InferenceResult(choices, item.Request.PromptIds.Count);
    }

    private sealed record Submission(InferenceRequest[] Requests, Action<int, int, string>? OnText, CancellationToken Cancellation)
    {
        public TaskCompletionSource<IReadOnlyList<InferenceResult>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Item(Submission submission, int index, InferenceRequest request)
    {
        public Submission Submission { get; } = submission;

        public int Index { get; } = index;

        public InferenceRequest Request { get; } = request;

        public GenerationResult[]? Generated { get; set; }

        public IReadOnlyList<InferenceTokenLogProb>[]? LogProbs { get; set; }
    }
}
