using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;

namespace Jobwatch.AspNetCore.Http;

internal static class JsonBodyMetadata
{
    /// <summary>
    /// Documents a JSON request body in the OpenAPI document only. <c>.Accepts&lt;T&gt;()</c> would also make routing filter
    /// on Content-Type: a wrong or missing one then gets a bare 415 with no problem body (before <c>ApiBody</c> can explain),
    /// or falls through to another route on the same path (<c>/{id}/retry</c> taking <c>/dead-letters/retry</c>).
    /// </summary>
    public static RouteHandlerBuilder DocumentsJsonBody<T>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, ct);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });
}
