using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace BeneficialRL.SiloHost.Http;

/// <summary>
/// Reads form bodies for every upload route. The framework's reader throws on a multipart body without a
/// boundary, with a boundary that does not match its parts, or cut short; those are client mistakes, so they
/// become 400s naming the header or the body (413 past the size limit) instead of escaping as 500s.
/// </summary>
public static class MultipartForm
{
    /// <summary>The form, or the problem that explains why it cannot be read.</summary>
    public static async Task<(IFormCollection? Form, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType) return (null, ApiProblems.UnsupportedMediaType("multipart/form-data"));
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            && mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            && HeaderUtilities.RemoveQuotes(mediaType.Boundary).Length == 0)
        {
            return (null, ApiProblems.InvalidField("Content-Type", "A multipart/form-data body needs a boundary parameter in its Content-Type."));
        }

        if (request.ContentLength > maxBytes) return (null, ApiProblems.TooLarge(maxBytes));
        try
        {
            return (await request.ReadFormAsync(cancellationToken), null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, ApiProblems.TooLarge(maxBytes));
        }
        catch (InvalidDataException e) when (e.Message.Contains("body length limit", StringComparison.Ordinal))
        {
            return (null, ApiProblems.TooLarge(maxBytes));
        }
        catch (Exception e) when ((e is InvalidDataException or IOException) && !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // Missing or mismatched boundary, truncated part, oversized part header: the body is not the form it claims to be.
            return (null, ApiProblems.InvalidField("body",
                "The body is not well-formed multipart/form-data: its parts must be delimited by the boundary named in Content-Type and end with the closing boundary. Nothing was stored."));
        }
    }
}
