using System.Text.Json;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Observability.Tests.Infrastructure;
using Jobwatch.Server;
using Npgsql;

namespace Jobwatch.Observability.Tests.Deploy;

/// <summary>
/// The stack cannot start here (no Docker), so it is checked by reading: the Jobwatch commands go through the
/// server's own command-line parser and binding guard, and every address one service uses for another is a
/// service that listens there.
/// </summary>
public sealed class ComposeWiringTests
{
    [Fact]
    public async Task It_runs_PostgreSQL_one_server_two_workers_Prometheus_and_Grafana()
    {
        var compose = await ComposeFile.LoadAsync();

        var settings = compose.JobwatchServices.ToDictionary(s => s, s => Parse(compose.Service(s)));
        Assert.Single(settings.Values, s => !s.RunWorkers);
        Assert.Equal(2, settings.Values.Count(s => s.RunWorkers));
        Assert.Contains("postgres", Image(compose.Service("postgres")));
        Assert.Contains("prom/prometheus", Image(compose.Service("prometheus")));
        Assert.Contains("grafana/grafana", Image(compose.Service("grafana")));
    }

    [Fact]
    public async Task Jobwatch_commands_parse_use_the_compose_PostgreSQL_and_pass_the_binding_guard()
    {
        var compose = await ComposeFile.LoadAsync();
        var postgres = ComposeFile.Environment(compose.Service("postgres"));

        foreach (var name in compose.JobwatchServices)
        {
            var service = compose.Service(name);
            var settings = Parse(service);
            var env = ComposeFile.Environment(service);

            Assert.Equal(StorageKind.Postgres, settings.Storage.Kind);
            var cs = new NpgsqlConnectionStringBuilder(settings.Storage.Value);
            Assert.Equal("postgres", cs.Host);
            Assert.Equal(postgres["POSTGRES_USER"], cs.Username);
            Assert.Equal(postgres["POSTGRES_PASSWORD"], cs.Password);
            Assert.Equal(postgres["POSTGRES_DB"], cs.Database);
            Assert.Equal(LogFormat.Json, settings.LogFormat);

            // Listening on every interface needs tokens (or --allow-anonymous): the server would refuse to start otherwise.
            var urls = BindingGuard.Parse(settings.Urls ?? ServerCommandLine.DefaultUrls);
            Assert.Null(urls.Error);
            Assert.Contains(urls.Urls, u => !BindingGuard.IsLoopback(u));
            var tokens = TokenList.Parse(env.GetValueOrDefault(TokenList.EnvironmentVariable));
            var refusal = BindingGuard.Check(urls.Urls, tokens.Count > 0, settings.AllowAnonymous);
            Assert.True(refusal is null, $"{name} would not start: {refusal}");
        }
    }

    [Fact]
    public async Task Prometheus_scrapes_every_Jobwatch_process_on_the_port_it_listens_on()
    {
        var compose = await ComposeFile.LoadAsync();
        var prometheus = compose.Service("prometheus");
        var configPath = ComposeFile.Command(prometheus).Single(a => a.StartsWith("--config.file=", StringComparison.Ordinal))["--config.file=".Length..];
        var hostConfig = ComposeFile.HostPath(prometheus, configPath);
        Assert.True(hostConfig is not null && File.Exists(hostConfig), $"--config.file={configPath} is not mounted from the repository");
        Assert.Equal(Path.Combine(RepoPaths.Prometheus, "prometheus.yml"), hostConfig);

        var config = await Yaml.LoadAsync(hostConfig!);
        foreach (var ruleFile in config.GetProperty("rule_files").EnumerateArray().Select(r => r.GetString()!))
        {
            Assert.True(File.Exists(Path.Combine(RepoPaths.Prometheus, ruleFile)), $"rule file {ruleFile} is missing");
        }
        var targets = config.GetProperty("scrape_configs").EnumerateArray()
            .SelectMany(j => j.GetProperty("static_configs").EnumerateArray())
            .SelectMany(s => s.GetProperty("targets").EnumerateArray().Select(t => t.GetString()!))
            .ToArray();

        foreach (var name in compose.JobwatchServices)
        {
            var port = BindingGuard.Parse(Parse(compose.Service(name)).Urls!).Urls.Single().Port;
            Assert.Contains($"{name}:{port}", targets);
        }
        foreach (var target in targets.Where(t => !t.StartsWith("localhost:", StringComparison.Ordinal)))
        {
            Assert.True(compose.Services.ContainsKey(target.Split(':')[0]), $"Prometheus scrapes {target}, which is not a compose service");
        }
    }

    [Fact]
    public async Task Prometheus_sends_a_viewer_token_the_Jobwatch_processes_accept()
    {
        var compose = await ComposeFile.LoadAsync();
        var prometheus = compose.Service("prometheus");
        var config = await Yaml.LoadAsync(Path.Combine(RepoPaths.Prometheus, "prometheus.yml"));
        var tokenFiles = config.GetProperty("scrape_configs").EnumerateArray()
            .Where(j => j.GetProperty("job_name").GetString()!.StartsWith("jobwatch", StringComparison.Ordinal))
            .Select(j => j.GetProperty("authorization"))
            .Select(a => (Type: a.GetProperty("type").GetString(), File: a.GetProperty("credentials_file").GetString()!))
            .Distinct()
            .ToArray();
        var (type, file) = Assert.Single(tokenFiles);
        Assert.Equal("Bearer", type);

        // The file comes from a compose config whose content is the token.
        var mounted = prometheus.GetProperty("configs").EnumerateArray().Single(c => c.GetProperty("target").GetString() == file);
        var content = ComposeFile.Substitute(compose.Root.GetProperty("configs").GetProperty(mounted.GetProperty("source").GetString()!).GetProperty("content").GetString()!);
        foreach (var name in compose.JobwatchServices)
        {
            var tokens = TokenList.Parse(ComposeFile.Environment(compose.Service(name)).GetValueOrDefault(TokenList.EnvironmentVariable));
            Assert.Contains(tokens, t => t.Secret == content.Trim() && t.Role == JobwatchRole.Viewer);
        }
    }

    [Fact]
    public async Task Grafana_gets_the_provisioned_datasource_and_the_dashboards_from_the_repository()
    {
        var compose = await ComposeFile.LoadAsync();
        var grafana = compose.Service("grafana");

        var provisioning = ComposeFile.HostPath(grafana, "/etc/grafana/provisioning");
        Assert.Equal(Path.Combine(RepoPaths.Grafana, "provisioning"), provisioning);

        // The datasource points at the Prometheus service on its listening port.
        var datasources = await Yaml.LoadAsync(Path.Combine(provisioning!, "datasources", "prometheus.yml"));
        var source = datasources.GetProperty("datasources").EnumerateArray().Single();
        var url = new Uri(source.GetProperty("url").GetString()!);
        Assert.Equal("prometheus", url.Host);
        Assert.True(compose.Services.ContainsKey(url.Host));
        Assert.Contains(ComposeFile.Command(compose.Service("prometheus")), a => a == "--config.file=/etc/prometheus/prometheus.yml");
        Assert.Equal(9090, url.Port); // Prometheus's default --web.listen-address, which the compose command keeps.
        Assert.DoesNotContain(ComposeFile.Command(compose.Service("prometheus")), a => a.StartsWith("--web.listen-address", StringComparison.Ordinal));

        // The dashboards' default data source is this one.
        var uid = source.GetProperty("uid").GetString();
        foreach (var dashboard in Directory.GetFiles(RepoPaths.Dashboards, "*.json"))
        {
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(dashboard));
            var variable = doc.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray().Single(v => v.GetProperty("type").GetString() == "datasource");
            Assert.Equal(uid, variable.GetProperty("current").GetProperty("value").GetString());
        }

        // The provider's folder is a mount of deploy/grafana/dashboards, and the home dashboard is in it.
        var providers = await Yaml.LoadAsync(Path.Combine(provisioning!, "dashboards", "jobwatch.yml"));
        var path = providers.GetProperty("providers").EnumerateArray().Single().GetProperty("options").GetProperty("path").GetString()!;
        Assert.Equal(RepoPaths.Dashboards, ComposeFile.HostPath(grafana, path)?.TrimEnd('/'));
        var home = ComposeFile.Environment(grafana)["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"];
        var homeOnHost = ComposeFile.HostPath(grafana, home);
        Assert.True(homeOnHost is not null && File.Exists(homeOnHost), $"The home dashboard {home} is not mounted from deploy/grafana/dashboards");
    }

    private static ServerSettings Parse(JsonElement service)
    {
        var env = ComposeFile.Environment(service);
        var outcome = ServerCommandLine.Parse([.. ComposeFile.Command(service)], env.GetValueOrDefault(ServerCommandLine.StorageEnvironmentVariable), stdoutIsTerminal: false);
        Assert.True(outcome.Settings is not null, $"command {string.Join(' ', ComposeFile.Command(service))} does not parse: {string.Join("; ", outcome.Errors)}");
        return outcome.Settings!;
    }

    private static string Image(JsonElement service) => service.GetProperty("image").GetString()!;
}
