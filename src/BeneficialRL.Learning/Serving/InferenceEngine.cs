using System.Collections.Concurrent;
using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Generation;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Scoring;
using BeneficialRL.Learning.Tokenization;
using BeneficialRL.Learning.Training;

namespace BeneficialRL.Learning.Serving;

/// <summary>
/// Serves one loaded policy: completions, echoed prompt log-probabilities and streaming, on one dedicated thread
/// (TorchSharp's dispose scopes are per thread). Generation is continuously batched: every choice of every request is a
/// row of one <see cref="ContinuousBatch"/>, which a submission arriving while others decode joins at the next token
/// and a finished choice leaves at once, so a short request never waits for a long one and the batch stays full under
/// load. Rows differ in prompt, length, temperature, stops and seed; each sees what it would see alone. Log-probability
/// requests, and the log-probabilities of finished generations, are scored together between decoding steps.
/// </summary>
public sealed class InferenceEngine : IDisposable
{
    private readonly PolicyModel _model;
    private readonly TokenLogProbScorer _scorer;
    private readonly InferenceEngineOptions _options;
    private readonly BlockingCollection<Submission> _queue = [];
    private readonly Thread _thread;
    // Each decoding row's request and choice; touched by the engine's thread only.
    private readonly Dictionary<DecodeRow, GenerationRow> _decoding = [];
    private long _batches;
    private long _requestsRun;
    private int _pending;

    /// <summary>Serves <paramref name="model"/>; the engine owns it and disposes it.</summary>
    public InferenceEngine(PolicyModel model, PolicyTokenizer tokenizer, InferenceEngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        _model = model;
        _model.eval();
        Tokenizer = tokenizer;
        Template = new ChatTemplate(tokenizer);
        _scorer = new TokenLogProbScorer(model, tokenizer.Special.Pad);
        _options = options ?? new InferenceEngineOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxBatchRows, nameof(options));
        _thread = new Thread(Loop) { IsBackground = true, Name = "inference" };
        _thread.Start();
    }

    /// <summary>The policy's tokenizer.</summary>
    public PolicyTokenizer Tokenizer { get; }

    /// <summary>The policy's chat template.</summary>
    public ChatTemplate Template { get; }

    /// <summary>Longest sequence (prompt plus completion) the model takes.</summary>
    public int MaxSequenceLength => _model.Config.MaxSequenceLength;

    /// <summary>Busy periods so far: the engine started from idle this often (submissions that join running work count in its period).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Requests completed so far.</summary>
    public long RequestsRun => Interlocked.Read(ref _requestsRun);

    /// <summary>Submissions accepted and not yet answered (queued or decoding); a cancelled one stops counting at once.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>
    /// Runs <paramref name="requests"/> (joining whatever else is decoding); results in request order.
    /// Throws <see cref="ArgumentException"/> naming the request field (<c>prompt</c>, <c>max_tokens</c>, <c>n</c>,
    /// <c>logprobs</c>...) at once when a request does not fit this model.
    /// </summary>
    /// <param name="requests">The prompts.</param>
    /// <param name="onText">Streaming: called on the engine's thread with (request, choice, text delta) as text becomes final; never past a stop sequence.</param>
    /// <param name="cancellationToken">
    /// Drops the submission, also while it decodes: the returned task is cancelled at once, and its rows leave the batch
    /// at the next token (or it is never started, when it is still queued).
    /// </param>
    public Task<IReadOnlyList<InferenceResult>> RunAsync(IReadOnlyList<InferenceRequest> requests, Action<int, int, string>? onText = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        foreach (var request in requests) Validate(request);
        var submission = new Submission([.. requests], onText, cancellationToken);
        Interlocked.Increment(ref _pending);
        // The caller hears of its cancellation without waiting for the engine's thread, which may be mid-step.
        var cancelled = cancellationToken.UnsafeRegister(static (state, token) => ((Submission)state!).Completion.TrySetCanceled(token), submission);
        _ = submission.Completion.Task.ContinueWith(
            _ =>
            {
                cancelled.Dispose();
                Interlocked.Decrement(ref _pending);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
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
        var batch = new ContinuousBatch(_model, Tokenizer);
        var active = new List<Submission>();
        var backlog = new List<GenerationRow>();
        while (true)
        {
            // Idle: wait for work. Busy: whatever arrived joins before the next step (without batching, only once the
            // running submission is done, so it runs alone).
            var idle = active.Count == 0;
            if (idle)
            {
                if (!_queue.TryTake(out var first, Timeout.Infinite))
                {
                    batch.Dispose();
                    return;
                }

                Admit(first, active, backlog, batch.Steps);
            }

            while ((_options.Batching || active.Count == 0) && _queue.TryTake(out var more)) Admit(more, active, backlog, batch.Steps);
            // A submission cancelled before it was taken never starts work, so it opens no busy period.
            if (idle && active.Count > 0) Interlocked.Increment(ref _batches);
            try
            {
                Advance(batch, active, backlog);
            }
            catch (Exception e)
            {
                // This thread serves every later submission: a failure belongs to the callers in the batch, who get it
                // rethrown; the batch starts again empty.
                foreach (var submission in active) submission.Completion.TrySetException(e);
                active.Clear();
                backlog.Clear();
                _decoding.Clear();
                batch.Dispose();
                batch = new ContinuousBatch(_model, Tokenizer);
            }
        }
    }

    /// <summary>Starts a submission: scoring-only requests wait for the next scoring pass, every choice to generate for a batch row.</summary>
    private void Admit(Submission submission, List<Submission> active, List<GenerationRow> backlog, long steps)
    {
        if (submission.Cancellation.IsCancellationRequested)
        {
            submission.Completion.TrySetCanceled(submission.Cancellation);
            return;
        }

        active.Add(submission);
        foreach (var item in submission.Items)
        {
            if (item.Request.MaxNewTokens == 0 || IsScoredGreedyStep(item.Request))
            {
                item.Pending = 0;
                continue;
            }

            item.Generated = new GenerationResult[item.Request.N];
            item.Pending = item.Request.N;

            // One seed gives each choice its own stream: equal requests repeat, whatever shares the batch with them.
            var seeds = new DeterministicRandom(item.Request.Seed ?? Random.Shared.NextInt64());
            for (var choice = 0; choice < item.Request.N; choice++)
            {
                var options = new SamplingOptions
                {
                    Temperature = item.Request.Temperature,
                    TopP = item.Request.TopP,
                    MaxNewTokens = item.Request.MaxNewTokens,
                    StopSequences = item.Request.Stop,
                    Seed = seeds.NextSeed(),
                };
                var stream = submission.OnText is null ? null : new StreamingText(Tokenizer, item.Request.Stop);
                backlog.Add(new GenerationRow(item, choice, options, stream, steps));
            }
        }
    }

    /// <summary>
    /// One round: cancelled submissions leave, waiting rows join the batch while it has room, scoring-only requests are
    /// scored in one pass, the batch decodes one token, and finished requests are scored and completed.
    /// </summary>
    private void Advance(ContinuousBatch batch, List<Submission> active, List<GenerationRow> backlog)
    {
        foreach (var submission in active.Where(s => s.Cancellation.IsCancellationRequested).ToList())
        {
            foreach (var row in submission.Rows) batch.Leave(row);
            backlog.RemoveAll(r => r.Item.Submission == submission);
            active.Remove(submission);
            submission.Completion.TrySetCanceled(submission.Cancellation);
        }

        // Each join costs a prefill pass and a copy of the cache, about as much as a decoding step, so while the batch
        // decodes, waiting rows join in groups: once they are a quarter of it, or the first has waited JoinWaitSteps.
        var live = batch.Count;
        var join = backlog.Count > 0 && (live == 0 || backlog.Count * 4 >= live || batch.Steps - backlog[0].WaitingSince >= _options.JoinWaitSteps);
        var joining = join ? backlog.Take(Math.Max(0, _options.MaxBatchRows - live)).ToList() : [];
        backlog.RemoveRange(0, joining.Count);
        foreach (var row in joining)
        {
            var decoding = batch.Join(row.Item.Request.PromptIds, row.Options);
            row.Item.Submission.Rows.Add(decoding);
            _decoding[decoding] = row;
        }

        foreach (var (row, token, _) in batch.Step())
        {
            var owner = _decoding[row];
            if (owner.Stream?.Append(token) is { Length: > 0 } delta) owner.Item.Submission.OnText!(owner.Item.Index, owner.Choice, delta);
            if (row.Result is not { } result) continue;
            _decoding.Remove(row);
            owner.Item.Submission.Rows.Remove(row);
            owner.Item.Generated![owner.Choice] = result;
            if (owner.Stream?.Remainder(result.Text) is { Length: > 0 } rest) owner.Item.Submission.OnText!(owner.Item.Index, owner.Choice, rest);
            owner.Item.Pending--;
        }

        // Log-probabilities of everything that is ready (scoring-only requests, finished generations) in one pass.
        var toScore = active.SelectMany(s => s.Items).Where(i => i.Pending == 0 && !i.Scored && i.Request.TopLogProbs is not null).ToList();
        if (toScore.Count > 0) Score(toScore);
        foreach (var submission in active.Where(s => s.Items.All(i => i.Pending == 0 && (i.Scored || i.Request.TopLogProbs is null))).ToList())
        {
            var results = submission.Items.Select(Finish).ToList();
            Interlocked.Add(ref _requestsRun, results.Count);
            active.Remove(submission);
            submission.Completion.TrySetResult(results);
        }
    }

    /// <summary>
    /// One greedy token with log-probabilities and no stop sequence (lm-eval's log-likelihood request): the scoring pass
    /// already yields the next token's distribution, so it needs no generation pass.
    /// </summary>
    private static bool IsScoredGreedyStep(InferenceRequest r) => r.MaxNewTokens == 1 && r.Temperature == 0 && r.TopLogProbs is not null && r.Stop.Count == 0;

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

        foreach (var item in items) item.Scored = true;
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

    private sealed class Submission
    {
        public Submission(InferenceRequest[] requests, Action<int, int, string>? onText, CancellationToken cancellation)
        {
            Items = [.. requests.Select((r, i) => new Item(this, i, r))];
            OnText = onText;
            Cancellation = cancellation;
        }

        public IReadOnlyList<Item> Items { get; }

        public Action<int, int, string>? OnText { get; }

        public CancellationToken Cancellation { get; }

        /// <summary>Its rows in the decoding batch.</summary>
        public List<DecodeRow> Rows { get; } = [];

        public TaskCompletionSource<IReadOnlyList<InferenceResult>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A choice to generate: its request, its sampling settings (with its own seed), its text stream and the batch step it arrived at.</summary>
    private sealed record GenerationRow(Item Item, int Choice, SamplingOptions Options, StreamingText? Stream, long WaitingSince);

    private sealed class Item(Submission submission, int index, InferenceRequest request)
    {
        public Submission Submission { get; } = submission;

        public int Index { get; } = index;

        public InferenceRequest Request { get; } = request;

        public GenerationResult[]? Generated { get; set; }

        public IReadOnlyList<InferenceTokenLogProb>[]? LogProbs { get; set; }

        /// <summary>Choices still decoding.</summary>
        public int Pending { get; set; }

        /// <summary>Log-probabilities done (when asked for).</summary>
        public bool Scored { get; set; }
    }
}
