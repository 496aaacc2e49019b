using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobwatch.AspNetCore.Http;

/// <summary>The API's JSON settings, independent of the host app's (MapJobwatch must not change how the app's own endpoints serialize).</summary>
public static class ApiJson
{
    private static readonly ConcurrentDictionary<int, JsonSerializerOptions> ByDepth = new();

    /// <summary>Responses: the contract records name every property; enums travel as strings.</summary>
    public static JsonSerializerOptions ResponseOptions { get; } = Create(64);

    public static JsonSerializerOptions RequestOptions(int maxDepth) => ByDepth.GetOrAdd(maxDepth, Create);

    private static JsonSerializerOptions Create(int maxDepth)
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            MaxDepth = maxDepth,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            AllowTrailingCommas = false,
        };
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
