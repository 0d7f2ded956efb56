using BeneficialRL.Contracts.Catalog;
using BeneficialRL.SiloHost.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>Pages through a tenant's resource index and loads each listed resource.</summary>
public static class Listing
{
    /// <summary>Loads one page; ids whose resource no longer exists (or never finished being created) are skipped.</summary>
    public static async Task<(IReadOnlyList<T> Items, string? ContinuationToken, ProblemHttpResult? Problem)> PageAsync<T>(
        IGrainFactory grains, string tenant, string kind, string? continuationToken, int limit, Func<string, Task<T?>> load) where T : class
    {
        ResourcePage page;
        try
        {
            page = await grains.GetGrain<IResourceIndexGrain>($"{tenant}/{kind}").ListAsync(continuationToken, limit);
        }
        catch (ArgumentException e)
        {
            return ([], null, ApiProblems.InvalidField("continuationToken", ApiProblems.MessageOf(e)));
        }

        var loaded = await Task.WhenAll(page.Ids.Select(load));
        return (loaded.OfType<T>().ToList(), page.ContinuationToken, null);
    }
}
