namespace Jobwatch.Observability.Tests.Infrastructure;

/// <summary>Where the shipped files are: the repository root is the folder holding Jobwatch.slnx.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Deploy => Path.Combine(Root, "deploy");
    public static string Prometheus => Path.Combine(Deploy, "prometheus");
    public static string AlertRules => Path.Combine(Prometheus, "alerts.yml");
    public static string RecurringJobRules => Path.Combine(Prometheus, "recurring-jobs.yml");
    public static string RuleTests => Path.Combine(Prometheus, "tests");
    public static string Grafana => Path.Combine(Deploy, "grafana");
    public static string Dashboards => Path.Combine(Grafana, "dashboards");
    public static string Compose => Path.Combine(Deploy, "docker-compose.yml");

    /// <summary>Every rule file prometheus.yml loads.</summary>
    public static IReadOnlyList<string> RuleFiles => [AlertRules, RecurringJobRules];

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Jobwatch.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No Jobwatch.slnx above {AppContext.BaseDirectory}: run the tests from the repository's build output.");
    }
}
