using Microsoft.OpenApi;

namespace BeneficialRL.SiloHost.Http;

/// <summary>
/// Documents an upload route's request body in the OpenAPI document without <c>Accepts(...)</c>: that metadata
/// also drives routing's content-type matcher, which answers 415 before authentication and authorization run, so an
/// anonymous caller learned about media types before being told to authenticate. The handlers check the media type
/// themselves, after auth.
/// </summary>
public static class UploadBodies
{
    /// <summary>Describes the body as one of <paramref name="contentTypes"/>, for the OpenAPI document only.</summary>
    public static RouteHandlerBuilder DocumentsUpload(this RouteHandlerBuilder builder, params string[] contentTypes) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = contentTypes.ToDictionary(
                    type => type,
                    _ => new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } }),
            };
            return Task.CompletedTask;
        });
}
