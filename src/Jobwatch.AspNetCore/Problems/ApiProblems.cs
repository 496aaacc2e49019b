using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Jobwatch.AspNetCore.Problems;

/// <summary>
/// RFC 9457 problem details for every error the API returns. The detail always says what was wrong and how
/// to fix it; <c>type</c> names the kind of problem (documented in docs/api.md) so clients can branch on it.
/// </summary>
public static class ApiProblems
{
    public const string TypeBase = "https://jobwatch.dev/problems/";

    public static ProblemHttpResult BadRequest(string detail, IDictionary<string, string[]>? errors = null) =>
        Create(HttpStatus.Status400BadRequest, "invalid-request", "The request is invalid.", detail, errors);

    /// <summary>A query or route parameter out of range or malformed; <paramref name="parameter"/> is named in the errors.</summary>
    public static ProblemHttpResult InvalidParameter(string parameter, string detail) =>
        Create(HttpStatus.Status400BadRequest, "invalid-parameter", $"The parameter '{parameter}' is invalid.", detail,
            new Dictionary<string, string[]> { [parameter] = [detail] });

    public static ProblemHttpResult NotFound(string what, string detail) =>
        Create(HttpStatus.Status404NotFound, "not-found", $"{what} was not found.", detail);

    /// <summary>The target exists but its state does not allow the action (e.g. retrying a running job).</summary>
    public static ProblemHttpResult Conflict(string title, string detail) =>
        Create(HttpStatus.Status409Conflict, "conflict", title, detail);

    public static ProblemHttpResult PayloadTooLarge(long limit) =>
        Create(HttpStatus.Status413PayloadTooLarge, "payload-too-large", "The request body is too large.",
            $"Request bodies are limited to {limit:N0} bytes (configuration {JobwatchApiOptions.SectionName}:MaxRequestBodyBytes). Send less data, e.g. split a batch.");

    public static ProblemHttpResult UnsupportedMediaType(string? contentType) =>
        Create(HttpStatus.Status415UnsupportedMediaType, "unsupported-media-type", "The request body must be JSON.",
            $"Send the body as JSON with the header 'Content-Type: application/json' (got '{contentType ?? "none"}').");

    public static ProblemHttpResult Unauthorized(string detail) =>
        Create(HttpStatus.Status401Unauthorized, "unauthorized", "A valid bearer token is required.", detail);

    public static ProblemHttpResult Forbidden(string detail) =>
        Create(HttpStatus.Status403Forbidden, "forbidden", "The token's role may not do this.", detail);

    public static ProblemHttpResult Create(int status, string slug, string title, string detail, IDictionary<string, string[]>? errors = null)
    {
        var problem = new ProblemDetails { Status = status, Type = TypeBase + slug, Title = title, Detail = detail };
        if (errors is not null)
        {
            problem.Extensions["errors"] = errors;
        }
        return TypedResults.Problem(problem);
    }
}
