using System.Text.Json;
using Jobwatch.AspNetCore.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobwatch.AspNetCore.Http;

/// <summary>A request body read as <typeparamref name="T"/>, or the problem that explains why it could not be.</summary>
public readonly record struct BodyResult<T>(T? Value, IResult? Problem)
{
    public bool Ok => Problem is null;
}

/// <summary>
/// Reads JSON bodies with the API's own limits instead of the host app's JSON settings: size (413 before a byte
/// is buffered when Content-Length says so, and while streaming otherwise), nesting depth, and syntax, each a
/// 4xx problem that names where the body went wrong.
/// </summary>
public static class ApiBody
{
    public static async Task<BodyResult<T>> ReadAsync<T>(HttpContext http) where T : class
    {
        var options = http.RequestServices.GetRequiredService<IOptions<JobwatchApiOptions>>().Value;
        var request = http.Request;
        if (request.ContentLength > options.MaxRequestBodyBytes)
        {
            return new(null, ApiProblems.PayloadTooLarge(options.MaxRequestBodyBytes));
        }
        if (!request.HasJsonContentType())
        {
            return new(null, ApiProblems.UnsupportedMediaType(request.ContentType));
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = options.MaxRequestBodyBytes;
        }
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, ApiJson.RequestOptions(options.MaxJsonDepth), http.RequestAborted).ConfigureAwait(false);
            return value is null
                ? new(null, ApiProblems.BadRequest("The request body is empty or null; send a JSON object."))
                : new(value, null);
        }
        catch (JsonException ex)
        {
            return new(null, ApiProblems.BadRequest(DescribeJsonError(ex, options.MaxJsonDepth)));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == HttpStatus.Status413PayloadTooLarge)
        {
            return new(null, ApiProblems.PayloadTooLarge(options.MaxRequestBodyBytes));
        }
    }

    private static string DescribeJsonError(JsonException ex, int maxDepth)
    {
        var where = ex.Path is { Length: > 0 } path ? $" at {path}" : "";
        var line = ex.LineNumber is { } l ? $" (line {l + 1}, byte {ex.BytePositionInLine + 1})" : "";
        if (ex.Message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return $"The JSON body is nested deeper than {maxDepth} levels{where}; flatten it (configuration {JobwatchApiOptions.SectionName}:MaxJsonDepth).";
        }
        // The serializer's own first sentence says what was expected; the rest repeats the path.
        var reason = ex.Message.Split(". Path:", 2)[0];
        return $"The body is not valid JSON for this request{where}{line}: {reason}";
    }
}
