using System.Text.Json;
using System.Text.RegularExpressions;
using Jobwatch.Observability.Tests.Infrastructure;

namespace Jobwatch.Observability.Tests.Deploy;

/// <summary>Every file under deploy/ parses, and every file the compose stack names is there.</summary>
public sealed partial class DeployFileTests
{
    public static TheoryData<string> YamlFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Deploy, "*.*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepoPaths.Deploy, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public async Task Yaml_file_parses_to_one_mapping(string relativePath)
    {
        var doc = await Yaml.LoadAsync(Path.Combine(RepoPaths.Deploy, relativePath));

        Assert.NotEmpty(doc.EnumerateObject());
    }

    [Fact]
    public void The_deploy_folder_has_the_files_the_issue_lists()
    {
        foreach (var file in new[]
                 {
                     "docker-compose.yml", "Dockerfile", "prometheus/prometheus.yml", "prometheus/alerts.yml",
                     "grafana/dashboards/status-codes-sources.json", "grafana/dashboards/overview.json",
                 })
        {
            Assert.True(File.Exists(Path.Combine(RepoPaths.Deploy, file)), $"deploy/{file} is missing");
        }
        Assert.NotEmpty(Directory.GetFiles(RepoPaths.RuleTests, "*.yml"));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(RepoPaths.Grafana, "provisioning", "datasources"), "*.yml"));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(RepoPaths.Grafana, "provisioning", "dashboards"), "*.yml"));
    }

    [Fact]
    public async Task Every_file_and_folder_docker_compose_references_exists()
    {
        var compose = await ComposeFile.LoadAsync();
        var missing = new List<string>();
        foreach (var (name, service) in compose.Services)
        {
            if (service.TryGetProperty("build", out var build))
            {
                var context = Path.GetFullPath(Path.Combine(RepoPaths.Deploy, build.GetProperty("context").GetString()!));
                var dockerfile = Path.Combine(context, build.TryGetProperty("dockerfile", out var d) ? d.GetString()! : "Dockerfile");
                if (!Directory.Exists(context)) missing.Add($"{name}: build context {context}");
                if (!File.Exists(dockerfile)) missing.Add($"{name}: Dockerfile {dockerfile}");
            }
            foreach (var mount in ComposeFile.BindMounts(service))
            {
                if (!File.Exists(mount.Source) && !Directory.Exists(mount.Source)) missing.Add($"{name}: bind mount source {mount.Source}");
            }
            if (service.TryGetProperty("env_file", out var envFile))
            {
                foreach (var f in envFile.ValueKind == JsonValueKind.Array ? envFile.EnumerateArray().Select(e => e.GetString()!) : [envFile.GetString()!])
                {
                    if (!File.Exists(Path.Combine(RepoPaths.Deploy, f))) missing.Add($"{name}: env_file {f}");
                }
            }
        }
        Assert.True(missing.Count == 0, "docker-compose.yml references what is not there:\n" + string.Join('\n', missing));
    }

    [Fact]
    public async Task Named_volumes_and_depends_on_name_what_the_compose_file_declares()
    {
        var compose = await ComposeFile.LoadAsync();
        var declared = compose.Root.TryGetProperty("volumes", out var v) ? v.EnumerateObject().Select(p => p.Name).ToHashSet() : [];
        foreach (var (name, service) in compose.Services)
        {
            foreach (var volume in ComposeFile.NamedVolumes(service))
            {
                Assert.True(declared.Contains(volume), $"{name} mounts volume '{volume}', which the top-level volumes: does not declare");
            }
            if (service.TryGetProperty("depends_on", out var deps))
            {
                var names = deps.ValueKind == JsonValueKind.Array ? deps.EnumerateArray().Select(d => d.GetString()!) : deps.EnumerateObject().Select(p => p.Name);
                foreach (var dep in names)
                {
                    Assert.True(compose.Services.ContainsKey(dep), $"{name} depends on '{dep}', which is not a service");
                }
            }
        }
    }

    [Fact]
    public async Task Every_path_the_Dockerfile_copies_from_the_build_context_exists()
    {
        var compose = await ComposeFile.LoadAsync();
        var build = compose.Service(compose.JobwatchServices[0]).GetProperty("build");
        var context = Path.GetFullPath(Path.Combine(RepoPaths.Deploy, build.GetProperty("context").GetString()!));
        var dockerfile = await File.ReadAllLinesAsync(Path.Combine(context, build.GetProperty("dockerfile").GetString()!));

        var copies = dockerfile.Select(l => Copy().Match(l)).Where(m => m.Success).ToArray();
        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            var parts = copy.Groups["args"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var source in parts[..^1])
            {
                var path = Path.Combine(context, source);
                Assert.True(File.Exists(path) || Directory.Exists(path), $"Dockerfile copies {source}, which is not in the build context {context}");
            }
        }
        // The project the image publishes is one of them.
        Assert.Contains(dockerfile, l => l.Contains("src/Jobwatch.Server/Jobwatch.Server.csproj", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "src", "Jobwatch.Server", "Jobwatch.Server.csproj")));
    }

    // COPY lines that read from the build context (not --from=another stage).
    [GeneratedRegex(@"^\s*COPY\s+(?!--from)(?<args>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Copy();
}
