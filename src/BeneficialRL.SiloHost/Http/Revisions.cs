using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BeneficialRL.SiloHost.Http;

/// <summary>Maps resource revisions to HTTP entity tags and reads <c>If-Match</c>.</summary>
public static class Revisions
{
    /// <summary>The strong ETag of a revision, e.g. <c>"r3"</c>.</summary>
    public static string ETag(long revision) => $"\"r{revision.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>Sets the ETag response header.</summary>
    public static void SetETag(this HttpResponse response, long revision) => response.Headers.ETag = ETag(revision);

    /// <summary>
    /// The revision an <c>If-Match</c> header demands: null when absent or <c>*</c>; a problem when it is
    /// not an ETag this API issued.
    /// </summary>
    public static (long? Revision, ProblemHttpResult? Problem) ReadIfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*") return (null, null);
        var tag = header.StartsWith("W/", StringComparison.Ordinal) ? header[2..] : header;
        if (tag.Length > 3 && tag[0] == '"' && tag[1] == 'r' && tag[^1] == '"'
            && long.TryParse(tag.AsSpan(2, tag.Length - 3), NumberStyles.None, CultureInfo.InvariantCulture, out var revision))
        {
            return (revision, null);
        }

        return (null, ApiProblems.PreconditionFailed($"If-Match '{header}' is not an entity tag of this resource; use the ETag of a GET."));
    }
}
