using System.Globalization;
using System.Text;
using BeneficialRL.Contracts.Catalog;

namespace BeneficialRL.Grains.Catalog;

/// <summary>Keeps one tenant's ids of one resource kind, newest first, for paged listings.</summary>
public sealed class ResourceIndexGrain(
    [PersistentState("index", GrainStorageNames.Default)] IPersistentState<ResourceIndexState> state) : Grain, IResourceIndexGrain
{
    private const int MaxPageSize = 200;

    /// <inheritdoc />
    public async Task AddAsync(string id, DateTimeOffset createdAt)
    {
        if (state.State.Entries.Any(e => e.Id == id)) return;
        var entry = new ResourceIndexEntry(id, createdAt.UtcTicks);
        var position = state.State.Entries.BinarySearch(entry, NewestFirst.Instance);
        state.State.Entries.Insert(position < 0 ? ~position : position, entry);
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<ResourcePage> ListAsync(string? continuationToken, int limit)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        var entries = state.State.Entries;
        var start = 0;
        if (continuationToken is not null)
        {
            var after = DecodeToken(continuationToken);
            var position = entries.BinarySearch(after, NewestFirst.Instance);
            start = position < 0 ? ~position : position + 1;
        }

        var page = entries.Skip(start).Take(limit).ToList();
        var next = start + page.Count < entries.Count ? EncodeToken(page[^1]) : null;
        return Task.FromResult(new ResourcePage(page.Select(e => e.Id).ToList(), next));
    }

    private static string EncodeToken(ResourceIndexEntry entry) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{entry.CreatedTicks.ToString(CultureInfo.InvariantCulture)}|{entry.Id}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Decodes a continuation token; a malformed one is the caller's error, reported as such.</summary>
    private static ResourceIndexEntry DecodeToken(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            return new ResourceIndexEntry(text[(bar + 1)..], long.Parse(text[..bar], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new ArgumentException("The continuation token is malformed; use the one returned by the previous page.", nameof(token), e);
        }
    }

    private sealed class NewestFirst : IComparer<ResourceIndexEntry>
    {
        public static readonly NewestFirst Instance = new();

        public int Compare(ResourceIndexEntry? x, ResourceIndexEntry? y)
        {
            var byTime = y!.CreatedTicks.CompareTo(x!.CreatedTicks);
            return byTime != 0 ? byTime : string.CompareOrdinal(x.Id, y.Id);
        }
    }
}

/// <summary>Persisted state of <see cref="ResourceIndexGrain"/>.</summary>
[GenerateSerializer]
public sealed class ResourceIndexState
{
    /// <summary>Entries sorted newest first.</summary>
    [Id(0)] public List<ResourceIndexEntry> Entries { get; set; } = [];
}

/// <summary>One indexed resource.</summary>
[GenerateSerializer, Immutable]
public sealed record ResourceIndexEntry([property: Id(0)] string Id, [property: Id(1)] long CreatedTicks);
