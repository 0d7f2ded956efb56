namespace BeneficialRL.Evals.Definitions;

/// <summary>A set of benchmarks with lookup by id; the built-in suite, the held-out suite and imports are added to one.</summary>
public sealed class BenchmarkCatalogue
{
    private readonly Dictionary<string, Benchmark> _byId = new(StringComparer.Ordinal);
    private readonly List<Benchmark> _ordered = [];

    /// <summary>Creates a catalogue holding <paramref name="benchmarks"/>.</summary>
    public BenchmarkCatalogue(IEnumerable<Benchmark>? benchmarks = null)
    {
        foreach (var benchmark in benchmarks ?? [])
        {
            Add(benchmark);
        }
    }

    /// <summary>All benchmarks, in the order added.</summary>
    public IReadOnlyList<Benchmark> Benchmarks => _ordered;

    /// <summary>All definitions, in the order added.</summary>
    public IReadOnlyList<BenchmarkDefinition> Definitions => [.. _ordered.Select(b => b.Definition)];

    /// <summary>Adds a benchmark; ids are unique.</summary>
    public void Add(Benchmark benchmark)
    {
        if (!_byId.TryAdd(benchmark.Definition.Id, benchmark))
        {
            throw new ArgumentException($"The catalogue already holds a benchmark with id '{benchmark.Definition.Id}'.", nameof(benchmark));
        }

        _ordered.Add(benchmark);
    }

    /// <summary>The benchmark with id <paramref name="id"/>, or false.</summary>
    public bool TryGet(string id, out Benchmark benchmark) => _byId.TryGetValue(id, out benchmark!);

    /// <summary>The benchmark with id <paramref name="id"/>.</summary>
    public Benchmark Get(string id) =>
        _byId.TryGetValue(id, out var benchmark) ? benchmark : throw new KeyNotFoundException($"No benchmark with id '{id}' in the catalogue.");

    /// <summary>Benchmarks of one family.</summary>
    public IReadOnlyList<Benchmark> ByFamily(string family) => [.. _ordered.Where(b => string.Equals(b.Definition.Family, family, StringComparison.Ordinal))];
}
