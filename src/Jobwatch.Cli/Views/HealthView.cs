using Jobwatch.Cli.Rendering;
using Jobwatch.Contracts.QueueHealth;

namespace Jobwatch.Cli.Views;

/// <summary><c>jobwatch health</c>: the overall grade, the storage, how many queues are in each grade, and every issue.</summary>
public static class HealthView
{
    public static IEnumerable<string> Render(QueueHealthResponse health, Surface surface)
    {
        var a = surface.Ansi;
        var s = health.Summary;
        yield return a.Paint("Health: " + health.Status.ToUpperInvariant(), Format.StatusStyle(health.Status)) + $"  ({Format.Time(health.Timestamp)} UTC)";
        yield return $"Storage: {health.Storage.Backend}, {a.Paint(health.Storage.Status, Format.StatusStyle(health.Storage.Status))}, {health.Storage.ResponseTime:0.###} ms" +
            (health.Storage.Error is null ? "" : " - " + health.Storage.Error);
        yield return $"Queues: {s.TotalQueues} ({s.HealthyQueues} healthy, {s.DegradedQueues} degraded, {s.UnhealthyQueues} unhealthy)";
        foreach (var q in health.Queues.Where(q => q.Status != "healthy"))
        {
            yield return $"  {q.QueueName}: {a.Paint(q.Status, Format.StatusStyle(q.Status))}";
        }
        if (health.Issues.Count > 0)
        {
            yield return "Issues:";
            foreach (var issue in health.Issues)
            {
                yield return "  - " + issue;
            }
        }
    }
}
