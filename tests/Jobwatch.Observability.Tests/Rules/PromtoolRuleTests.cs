using Jobwatch.Observability.Tests.Infrastructure;

namespace Jobwatch.Observability.Tests.Rules;

/// <summary>The shipped Prometheus configuration and rules, through the real promtool.</summary>
public sealed class PromtoolRuleTests
{
    [Fact]
    public async Task Promtool_check_rules_accepts_every_rule_file()
    {
        var result = await ExternalTool.RunAsync(ExternalTool.Promtool, ["check", "rules", .. RepoPaths.RuleFiles]);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains("SUCCESS", result.Stdout);
    }

    [Fact]
    public async Task Promtool_check_config_accepts_prometheus_yml()
    {
        // --syntax-only: the token file it names exists only inside the compose stack. The live tests run a real
        // Prometheus on this file's scrape settings with a token file of their own.
        var result = await ExternalTool.RunAsync(ExternalTool.Promtool, ["check", "config", "--syntax-only", "prometheus.yml"], workingDirectory: RepoPaths.Prometheus);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains("SUCCESS", result.Stdout);
    }

    [Fact]
    public async Task Promtool_test_rules_passes_every_unit_test()
    {
        var tests = RuleTestFiles();

        var result = await ExternalTool.RunAsync(ExternalTool.Promtool, ["test", "rules", .. tests]);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.DoesNotContain("FAILED", result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task Every_alert_has_a_unit_test_where_it_fires_and_one_where_it_does_not()
    {
        var alerts = await RuleFiles.AlertNamesAsync(RepoPaths.AlertRules);
        var cases = await RuleFiles.AlertTestCasesAsync(RuleTestFiles());

        Assert.NotEmpty(alerts);
        var missing = alerts
            .SelectMany(a => new[]
            {
                cases.Any(c => c.Alert == a && c.Fires) ? null : $"{a}: no case where it fires",
                cases.Any(c => c.Alert == a && !c.Fires) ? null : $"{a}: no case where it stays quiet",
            })
            .OfType<string>()
            .ToArray();
        Assert.True(missing.Length == 0, "Alerts without unit tests in deploy/prometheus/tests:\n" + string.Join('\n', missing));
        var unknown = cases.Select(c => c.Alert).Distinct().Except(alerts).ToArray();
        Assert.True(unknown.Length == 0, $"Unit tests name alerts that alerts.yml does not define: {string.Join(", ", unknown)}");
    }

    [Fact]
    public async Task Every_recording_rule_has_a_unit_test_that_checks_its_value()
    {
        var records = new List<RuleFiles.Rule>();
        foreach (var file in RepoPaths.RuleFiles)
        {
            records.AddRange((await RuleFiles.RulesAsync(file)).Where(r => r.Record is not null));
        }
        var samples = await RuleFiles.ExpectedSamplesAsync(RuleTestFiles());

        Assert.NotEmpty(records);
        foreach (var rule in records)
        {
            var labels = rule.Labels.Select(l => $"{l.Key}=\"{l.Value}\"").ToArray();
            Assert.True(samples.Any(s => s.StartsWith(rule.Record + "{", StringComparison.Ordinal) && labels.All(l => s.Contains(l, StringComparison.Ordinal))),
                $"No promql_expr_test expects {rule.Record}{{{string.Join(",", labels)}}}");
        }
    }

    [Fact]
    public async Task The_unit_tests_catch_a_broken_rule()
    {
        // The same rules with the error-rate threshold raised tenfold: the HighJobErrorRate tests must fail,
        // or they would pass whatever the rule said.
        var work = Directory.CreateTempSubdirectory("jobwatch-rules-");
        try
        {
            var rules = await File.ReadAllTextAsync(RepoPaths.AlertRules);
            const string threshold = ") > 10\n        for: 5m";
            Assert.Contains(threshold, rules);
            Directory.CreateDirectory(Path.Combine(work.FullName, "tests"));
            await File.WriteAllTextAsync(Path.Combine(work.FullName, "alerts.yml"), rules.Replace(threshold, ") > 100\n        for: 5m", StringComparison.Ordinal));
            var test = Path.Combine(work.FullName, "tests", "status-codes-and-sources.test.yml");
            File.Copy(Path.Combine(RepoPaths.RuleTests, "status-codes-and-sources.test.yml"), test);

            var result = await ExternalTool.RunAsync(ExternalTool.Promtool, ["test", "rules", test]);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("alertname: HighJobErrorRate", result.Stdout + result.Stderr);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string[] RuleTestFiles()
    {
        var files = Directory.GetFiles(RepoPaths.RuleTests, "*.yml").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(files);
        return files;
    }
}
