using System.Text.Json;
using Jobwatch.Observability.Tests.Infrastructure;

namespace Jobwatch.Observability.Tests.Rules;

/// <summary>One alert_rule_test entry: which alert, and whether it expects the alert to fire.</summary>
public sealed record AlertTestCase(string File, string Alert, string EvalTime, bool Fires);

/// <summary>What the shipped rule files and their promtool unit tests contain.</summary>
public static class RuleFiles
{
    public sealed record Rule(string File, string Group, string? Alert, string? Record, string Expr, IReadOnlyDictionary<string, string> Labels);

    public static async Task<IReadOnlyList<Rule>> RulesAsync(string path)
    {
        var doc = await Yaml.LoadAsync(path);
        var rules = new List<Rule>();
        foreach (var group in doc.GetProperty("groups").EnumerateArray())
        {
            var name = group.GetProperty("name").GetString()!;
            foreach (var rule in group.GetProperty("rules").EnumerateArray())
            {
                var labels = rule.TryGetProperty("labels", out var l) ? l.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!) : [];
                rules.Add(new Rule(Path.GetFileName(path), name, Text(rule, "alert"), Text(rule, "record"), rule.GetProperty("expr").GetString()!, labels));
            }
        }
        return rules;
    }

    public static async Task<IReadOnlyList<string>> AlertNamesAsync(string path) =>
        (await RulesAsync(path)).Select(r => r.Alert).OfType<string>().ToArray();

    public static async Task<IReadOnlyList<AlertTestCase>> AlertTestCasesAsync(IEnumerable<string> testFiles)
    {
        var cases = new List<AlertTestCase>();
        foreach (var file in testFiles)
        {
            var doc = await Yaml.LoadAsync(file);
            foreach (var test in doc.GetProperty("tests").EnumerateArray())
            {
                if (!test.TryGetProperty("alert_rule_test", out var alertTests))
                {
                    continue;
                }
                foreach (var c in alertTests.EnumerateArray())
                {
                    var fires = c.TryGetProperty("exp_alerts", out var expected) && expected.ValueKind == JsonValueKind.Array && expected.GetArrayLength() > 0;
                    cases.Add(new AlertTestCase(Path.GetFileName(file), c.GetProperty("alertname").GetString()!, c.GetProperty("eval_time").ToString(), fires));
                }
            }
        }
        return cases;
    }

    /// <summary>Every series a promql_expr_test expects, as written (e.g. <c>name{job_name="x"}</c>).</summary>
    public static async Task<IReadOnlyList<string>> ExpectedSamplesAsync(IEnumerable<string> testFiles)
    {
        var samples = new List<string>();
        foreach (var file in testFiles)
        {
            var doc = await Yaml.LoadAsync(file);
            foreach (var test in doc.GetProperty("tests").EnumerateArray())
            {
                if (test.TryGetProperty("promql_expr_test", out var exprTests))
                {
                    samples.AddRange(exprTests.EnumerateArray()
                        .SelectMany(t => t.GetProperty("exp_samples").EnumerateArray())
                        .Select(s => s.GetProperty("labels").GetString()!));
                }
            }
        }
        return samples;
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;
}
