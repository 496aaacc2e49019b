using Microsoft.Extensions.DependencyInjection;
using static Jobwatch.Api.Tests.Metrics.MetricsScenarioFixture;

namespace Jobwatch.Api.Tests.Metrics;

/// <summary>
/// Every agreed metric family is exposed with its type, help and exact label set, and counts what the
/// scenario in <see cref="MetricsScenarioFixture"/> did. Counter values are exact: the server is fresh.
/// </summary>
public sealed class MetricsEndpointTests(MetricsScenarioFixture fixture) : IClassFixture<MetricsScenarioFixture>
{
    private IReadOnlyDictionary<string, Family> M => fixture.Metrics;

    private static (string, string) Q(string queue) => ("queue", queue);
    private static (string, string) N(string name) => ("job_name", name);

    [Fact]
    public void Lifecycle_counters_count_each_outcome_per_queue_and_job_name()
    {
        var enqueued = M.Family("jobwatch_jobs_enqueued_total", "counter", "queue", "job_name");
        Assert.Equal(1, enqueued.Value(Q("default"), N("echo")));
        Assert.Equal(1, enqueued.Value(Q("metrics"), N("metrics_flaky")));
        Assert.Equal(1, enqueued.Value(Q("critical"), N("always_fails")));
        Assert.Equal(3, enqueued.Value(Q("nowhere"), N("echo")));
        Assert.Equal(2, enqueued.Value(Q("frozen"), N("echo")));

        var started = M.Family("jobwatch_jobs_started_total", "counter", "queue", "job_name");
        Assert.Equal(2, started.Value(Q("metrics"), N("metrics_flaky")));
        Assert.Equal(3, started.Value(Q("critical"), N("always_fails")));
        Assert.Equal(1, started.Value(Q("external"), N("nightly_import")));

        var completed = M.Family("jobwatch_jobs_completed_total", "counter", "queue", "job_name");
        Assert.Equal(1, completed.Value(Q("default"), N("echo")));
        Assert.Equal(1, completed.Value(Q("metrics"), N("metrics_flaky")));
        Assert.Equal(1, completed.Value(Q("external"), N("nightly_import")));
        Assert.Equal(0, completed.Value(Q("critical")));

        var failed = M.Family("jobwatch_jobs_failed_total", "counter", "queue", "job_name");
        Assert.Equal(1, failed.Value(Q("metrics"), N("metrics_flaky")));
        Assert.Equal(3, failed.Value(Q("critical"), N("always_fails")));
        Assert.Equal(1, M.Family("jobwatch_jobs_retried_total", "counter", "queue", "job_name").Value(Q("metrics"), N("metrics_flaky")));
        Assert.Equal(3, M.Family("jobwatch_jobs_dead_lettered_total", "counter", "queue", "job_name").Value(Q("critical"), N("always_fails")));
        Assert.Equal(1, M.Family("jobwatch_jobs_cancelled_total", "counter", "queue", "job_name").Value(Q("nowhere"), N("echo")));
        Assert.Equal(1, M.Family("jobwatch_jobs_stalled_total", "counter", "queue", "job_name").Value(Q("orphans"), N("echo")));
    }

    [Fact]
    public void Dead_letter_retries_and_drops_are_counted_per_queue()
    {
        // One single retry and one bulk retry of the same dead-lettered job, then its deletion.
        Assert.Equal(2, M.Family("jobwatch_dead_letter_retries_total", "counter", "queue").Value(Q("critical")));
        Assert.Equal(1, M.Family("jobwatch_dead_letter_dropped_total", "counter", "queue").Value(Q("critical")));
    }

    [Fact]
    public void Status_codes_are_counted_per_finished_attempt_with_their_label_and_worker()
    {
        var codes = M.Family("jobwatch_jobs_by_status_code_total", "counter", "queue", "status_code", "status_label", "worker_id");
        Assert.Equal(1, codes.Value(Q("metrics"), ("status_code", "429"), ("status_label", "RATE_LIMITED")));
        Assert.Equal(1, codes.Value(Q("metrics"), ("status_code", "200"), ("status_label", "SUCCESS")));
        Assert.Equal(3, codes.Value(Q("critical"), ("status_code", "470"), ("status_label", "INVALID_PAYLOAD")));
        Assert.Equal(1, codes.Value(Q("external"), ("status_code", "200")));
        var worker = Assert.Single(codes.Samples.Select(s => s["worker_id"]).Distinct());
        Assert.Equal(fixture.Server.Services.GetRequiredService<Jobwatch.Engine.WorkerIdentity>().Id, worker);
    }

    [Fact]
    public void Sources_count_createdBy_at_enqueue_and_updatedBy_at_finish()
    {
        var sources = M.Family("jobwatch_jobs_by_source_total", "counter", "queue", "source", "source_type");
        Assert.Equal(1, sources.Value(Q("default"), ("source", Scanner), ("source_type", "createdBy")));
        Assert.Equal(1, sources.Value(Q("metrics"), ("source", Scanner), ("source_type", "createdBy")));
        Assert.Equal(1, sources.Value(Q("metrics"), ("source", FlakyHandler.UpdatedBy), ("source_type", "updatedBy")));
        Assert.Equal(1, sources.Value(Q("external"), ("source", Cron), ("source_type", "createdBy")));
        Assert.All(sources.Samples, s => Assert.Contains(s["source_type"], new[] { "createdBy", "updatedBy" }));
    }

    [Fact]
    public void Items_processed_are_counted_by_outcome_once_per_attempt()
    {
        var items = M.Family("jobwatch_job_items_processed_total", "counter", "queue", "job_name", "outcome");
        Assert.Equal(3, items.Value(Q("metrics"), N("metrics_flaky"), ("outcome", "succeeded")));
        Assert.Equal(1, items.Value(Q("metrics"), N("metrics_flaky"), ("outcome", "failed")));
        Assert.Equal(5, items.Value(Q("external"), N("nightly_import"), ("outcome", "succeeded")));
    }

    [Fact]
    public void Durations_and_waits_are_histograms_with_ordered_cumulative_buckets()
    {
        var duration = M.Family("jobwatch_job_duration_seconds", "histogram", "queue", "job_name", "outcome");
        Assert.Equal(1, duration.Value(Q("metrics"), N("metrics_flaky"), ("outcome", "failed")));
        Assert.Equal(1, duration.Value(Q("metrics"), N("metrics_flaky"), ("outcome", "completed")));
        Assert.Equal(3, duration.Value(Q("critical"), ("outcome", "failed")));
        var wait = M.Family("jobwatch_job_wait_seconds", "histogram", "queue", "job_name");
        Assert.Equal(2, wait.Value(Q("metrics"), N("metrics_flaky")));
        var storage = M.Family("jobwatch_storage_operation_duration_seconds", "histogram", "operation", "status");
        foreach (var operation in new[] { "job_insert_many", "job_fetch_available", "job_finish_many", "job_retry", "job_retry_many", "job_cancel", "job_delete", "queue_set_paused", "run_start", "queue_counts_list" })
        {
            Assert.True(storage.Value(("operation", operation), ("status", "ok")) > 0, $"No ok sample for storage operation {operation}.");
        }

        foreach (var family in new[] { duration, wait, storage })
        {
            foreach (var series in family.Samples.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal))
                         .GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}"))))
            {
                var buckets = series.ToArray();
                Assert.Equal("+Inf", buckets[^1]["le"]);
                Assert.True(buckets.Select(b => b.Value).Zip(buckets.Skip(1).Select(b => b.Value)).All(p => p.First <= p.Second), $"{family.Name}{{{series.Key}}} buckets are not cumulative.");
                var les = buckets[..^1].Select(b => double.Parse(b["le"], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                Assert.Equal(les.Order(), les);
                var count = family.Samples.Single(s => s.Name == family.Name + "_count" && buckets[^1].Labels.Where(l => l.Key != "le").All(l => s.Labels[l.Key] == l.Value));
                Assert.Equal(buckets[^1].Value, count.Value);
            }
        }
    }

    [Fact]
    public void Queue_gauges_reflect_the_store()
    {
        var jobs = M.Family("jobwatch_queue_jobs", "gauge", "queue", "state");
        Assert.Equal(["active", "cancelled", "completed", "delayed", "failed", "paused", "waiting"],
            jobs.Samples.Where(s => s["queue"] == "nowhere").Select(s => s["state"]).Order());
        Assert.Equal(1, jobs.Value(Q("nowhere"), ("state", "waiting")));
        Assert.Equal(1, jobs.Value(Q("nowhere"), ("state", "delayed")));
        Assert.Equal(1, jobs.Value(Q("nowhere"), ("state", "cancelled")));
        Assert.Equal(1, jobs.Value(Q("default"), ("state", "completed")));
        Assert.Equal(1, jobs.Value(Q("orphans"), ("state", "waiting")));
        // Waiting jobs of a paused queue count as paused, as in BullMQ, so the states still add up.
        Assert.Equal(2, jobs.Value(Q("frozen"), ("state", "paused")));
        Assert.Equal(0, jobs.Value(Q("frozen"), ("state", "waiting")));
        // The dead-lettered job was deleted at the end.
        Assert.Equal(0, jobs.Value(Q("critical"), ("state", "failed")));

        var paused = M.Family("jobwatch_queue_paused", "gauge", "queue");
        Assert.Equal(1, paused.Value(Q("frozen")));
        Assert.Equal(0, paused.Value(Q("nowhere")));
        var age = M.Family("jobwatch_queue_oldest_waiting_age_seconds", "gauge", "queue");
        Assert.True(age.Value(Q("nowhere")) > 0, "The waiting job in 'nowhere' has an age.");
        Assert.Equal(0, age.Value(Q("default")));
        var deadLetters = M.Family("jobwatch_dead_letter_jobs", "gauge", "queue");
        Assert.Equal(0, deadLetters.Value(Q("critical")));
        Assert.Contains(deadLetters.Samples, s => s["queue"] == "nowhere");
    }

    [Fact]
    public void Worker_storage_build_and_last_success_gauges_are_exposed()
    {
        var concurrency = M.Family("jobwatch_worker_concurrency", "gauge", "queue");
        Assert.Equal(8, concurrency.Value(Q("default")));
        Assert.Equal(["critical", "default", "metrics"], concurrency.Samples.Select(s => s["queue"]).Order());
        M.Family("jobwatch_worker_busy_slots", "gauge", "queue");
        M.Family("jobwatch_worker_buffer_length", "gauge", "queue");
        Assert.Equal(0, M.Family("jobwatch_worker_outcomes_pending", "gauge").Value());

        Assert.Equal(1, M.Family("jobwatch_storage_up", "gauge").Value());
        Assert.True(M.Family("jobwatch_storage_latency_seconds", "gauge").Value() >= 0);
        var build = Assert.Single(M.Family("jobwatch_build_info", "gauge", "version").Samples);
        Assert.Equal(1, build.Value);
        Assert.Matches(@"^\d+\.\d+\.\d+", build["version"]);

        var lastSuccess = M.Family("jobwatch_job_last_success_timestamp_seconds", "gauge", "job_name");
        var since = fixture.StartedAt.ToUnixTimeMilliseconds() / 1000.0 - 1;
        foreach (var name in new[] { "echo", "metrics_flaky", "nightly_import" })
        {
            Assert.True(lastSuccess.Value(N(name)) > since, $"No recent last success for {name}.");
        }
        Assert.Equal(0, lastSuccess.Value(N("always_fails")));
    }
}
