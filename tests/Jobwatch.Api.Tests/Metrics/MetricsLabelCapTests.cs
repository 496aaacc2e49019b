using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.Model;
using Jobwatch.Observability;
using Jobwatch.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwatch.Api.Tests.Metrics;

/// <summary>
/// Sources, job names and queues past their caps are reported as "other", so callers choosing label values
/// (createdBy, run names, queue overrides) cannot grow the series without bound. Registered names and
/// queues are admitted first.
/// </summary>
public sealed class MetricsLabelCapTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await ApiTestServer.StartAsync(o => o.Services = s => MetricsTestSetup.Apply(s, j =>
        {
            j.Metrics.MaxSources = 2;
            // Registered: echo, always_fails, counting_sync, metrics_flaky; one name left for runs.
            j.Metrics.MaxJobNames = 5;
            // Registered: default, critical, metrics; one queue left.
            j.Metrics.MaxQueues = 4;
        }));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Values_past_each_cap_are_counted_as_other()
    {
        foreach (var source in new[] { "src-1", "src-2", "src-3", "src-4", "src-3" })
        {
            var id = await _server.Jobs.EnqueueAsync(new EchoArgs(), new() { CreatedBy = source });
            await _server.WaitForJobAsync(id, j => j.State == JobState.Completed, "completed");
        }
        var runs = _server.Services.GetRequiredService<IRunReporter>();
        foreach (var (name, queue) in new[] { ("run_a", "ext-1"), ("run_b", "ext-2"), ("run_c", "ext-3"), ("run_a", "ext-1") })
        {
            var run = await runs.StartAsync(new RunOptions { Name = name, Queue = queue });
            await run.CompleteAsync();
        }

        var m = await _server.ScrapeAsync();

        var sources = m.Family("jobwatch_jobs_by_source_total", "counter", "queue", "source", "source_type");
        Assert.Equal(["other", "src-1", "src-2"], sources.Samples.Select(s => s["source"]).Distinct().Order());
        Assert.Equal(3, sources.Value(("source", LabelCap.Other)));
        Assert.Equal(1, sources.Value(("source", "src-1")));

        var started = m.Family("jobwatch_jobs_started_total", "counter", "queue", "job_name");
        Assert.Equal(2, started.Value(("job_name", "run_a"), ("queue", "ext-1")));
        Assert.Equal(2, started.Value(("job_name", LabelCap.Other), ("queue", LabelCap.Other)));
        Assert.DoesNotContain(started.Samples, s => s["job_name"] is "run_b" or "run_c" || s["queue"] is "ext-2" or "ext-3");

        // Gauges from the store go through the same caps; the queues sharing "other" are added up.
        var jobs = m.Family("jobwatch_queue_jobs", "gauge", "queue", "state");
        Assert.Equal(2, jobs.Value(("queue", LabelCap.Other), ("state", "completed")));
        Assert.Equal(2, jobs.Value(("queue", "ext-1"), ("state", "completed")));
        Assert.Single(jobs.Samples, s => s["queue"] == LabelCap.Other && s["state"] == "completed");
        var lastSuccess = m.Family("jobwatch_job_last_success_timestamp_seconds", "gauge", "job_name");
        Assert.Equal(["echo", "other", "run_a"], lastSuccess.Samples.Select(s => s["job_name"]).Order());
    }
}
