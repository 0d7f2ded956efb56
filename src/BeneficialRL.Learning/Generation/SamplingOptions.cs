namespace BeneficialRL.Learning.Generation;

/// <summary>How <see cref="TextGenerator"/> samples.</summary>
public sealed record SamplingOptions
{
    /// <summary>Softmax temperature; 0 means greedy.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Nucleus mass kept (1 = no truncation).</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Most tokens generated per prompt.</summary>
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>Texts that end a completion when they appear; the text is cut before them.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>Seeds the sampling decisions: equal seeds, prompts and weights give equal outputs.</summary>
    public long Seed { get; init; }

    /// <summary>Reuse keys/values of earlier positions (true) or recompute the whole prefix each token (for comparison).</summary>
    public bool UseKvCache { get; init; } = true;

    /// <summary>
    /// Drop finished rows from the decoding batch (true) instead of decoding padding for them until the longest row ends;
    /// the results are the same either way, dropping only saves compute.
    /// </summary>
    public bool DropFinishedRows { get; init; } = true;

    /// <summary>End a completion at the end-of-turn token (true), or keep sampling through it to a fixed length (benchmarks).</summary>
    public bool StopAtEndOfTurn { get; init; } = true;

    /// <summary>Throws naming the first invalid field.</summary>
    public void Validate()
    {
        if (Temperature < 0 || double.IsNaN(Temperature))
        {
            throw new ArgumentException("SamplingOptions.Temperature must be zero or positive.", nameof(Temperature));
        }

        if (TopP is <= 0 or > 1)
        {
            throw new ArgumentException("SamplingOptions.TopP must be in (0, 1].", nameof(TopP));
        }

        if (MaxNewTokens < 1)
        {
            throw new ArgumentException("SamplingOptions.MaxNewTokens must be positive.", nameof(MaxNewTokens));
        }

        if (StopSequences.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("SamplingOptions.StopSequences may not contain empty strings.", nameof(StopSequences));
        }
    }
}
