using System.Text.Json;
using System.Text.RegularExpressions;
using Jobwatch.Observability.Tests.Infrastructure;

namespace Jobwatch.Observability.Tests.Deploy;

/// <summary>A bind mount: a host path (resolved against deploy/) seen in the container at <see cref="Target"/>.</summary>
public sealed record BindMount(string Source, string Target);

/// <summary>deploy/docker-compose.yml as Compose reads it: merge keys applied (by PyYAML), ${VAR:-default} taken at its default.</summary>
public sealed partial class ComposeFile
{
    private ComposeFile(JsonElement root) => Root = root;

    public JsonElement Root { get; }

    public static async Task<ComposeFile> LoadAsync() => new(await Yaml.LoadAsync(RepoPaths.Compose));

    public IReadOnlyDictionary<string, JsonElement> Services =>
        Root.GetProperty("services").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);

    public JsonElement Service(string name) =>
        Services.TryGetValue(name, out var s) ? s : throw new Xunit.Sdk.XunitException($"docker-compose.yml has no service '{name}'.");

    /// <summary>The services that run the Jobwatch image (built from deploy/Dockerfile).</summary>
    public IReadOnlyList<string> JobwatchServices =>
        Services.Where(s => s.Value.TryGetProperty("build", out _)).Select(s => s.Key).Order(StringComparer.Ordinal).ToArray();

    public static IReadOnlyList<string> Command(JsonElement service) =>
        service.TryGetProperty("command", out var c)
            ? c.ValueKind == JsonValueKind.Array ? c.EnumerateArray().Select(a => Substitute(a.GetString()!)).ToArray() : c.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : [];

    public static IReadOnlyDictionary<string, string> Environment(JsonElement service)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!service.TryGetProperty("environment", out var e))
        {
            return env;
        }
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject())
            {
                env[p.Name] = Substitute(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
            }
        }
        else
        {
            foreach (var item in e.EnumerateArray().Select(i => i.GetString()!))
            {
                var eq = item.IndexOf('=');
                env[item[..eq]] = Substitute(item[(eq + 1)..]);
            }
        }
        return env;
    }

    /// <summary>Bind mounts only (named volumes have no host path to check).</summary>
    public static IReadOnlyList<BindMount> BindMounts(JsonElement service)
    {
        if (!service.TryGetProperty("volumes", out var volumes))
        {
            return [];
        }
        var mounts = new List<BindMount>();
        foreach (var v in volumes.EnumerateArray())
        {
            string source, target;
            if (v.ValueKind == JsonValueKind.String)
            {
                var parts = v.GetString()!.Split(':');
                (source, target) = (parts[0], parts[1]);
            }
            else
            {
                if (v.GetProperty("type").GetString() != "bind")
                {
                    continue;
                }
                (source, target) = (v.GetProperty("source").GetString()!, v.GetProperty("target").GetString()!);
            }
            if (source.StartsWith('.') || source.StartsWith('/'))
            {
                mounts.Add(new BindMount(Path.GetFullPath(Path.Combine(RepoPaths.Deploy, source)), target));
            }
        }
        return mounts;
    }

    public static IReadOnlyList<string> NamedVolumes(JsonElement service) =>
        service.TryGetProperty("volumes", out var volumes)
            ? volumes.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!.Split(':')[0])
                .Where(s => !s.StartsWith('.') && !s.StartsWith('/')).ToArray()
            : [];

    /// <summary>The host file a container path comes from through the service's bind mounts, or null when no mount covers it.</summary>
    public static string? HostPath(JsonElement service, string containerPath)
    {
        foreach (var mount in BindMounts(service).OrderByDescending(m => m.Target.Length))
        {
            var target = mount.Target.TrimEnd('/');
            if (containerPath == target || containerPath.StartsWith(target + "/", StringComparison.Ordinal))
            {
                return Path.Combine(mount.Source, containerPath[target.Length..].TrimStart('/'));
            }
        }
        return null;
    }

    /// <summary>Compose's ${VAR:-default} and ${VAR} with the variable unset, as on a machine with no .env file.</summary>
    public static string Substitute(string text) => Variable().Replace(text, m => m.Groups["default"].Success ? m.Groups["default"].Value : "");

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?<default>[^}]*))?\}")]
    private static partial Regex Variable();
}
