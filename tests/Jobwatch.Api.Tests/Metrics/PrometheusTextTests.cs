using System.Text;
using Jobwatch.AspNetCore.Metrics;

namespace Jobwatch.Api.Tests.Metrics;

/// <summary>The exposition writer's escaping, number formats and name translation, read back by the strict parser.</summary>
public sealed class PrometheusTextTests
{
    [Theory]
    [InlineData("jobwatch.jobs.enqueued", "{job}", true, "jobwatch_jobs_enqueued_total")]
    [InlineData("jobwatch.jobs.by_status_code", "{attempt}", true, "jobwatch_jobs_by_status_code_total")]
    [InlineData("jobwatch.job.duration", "s", false, "jobwatch_job_duration_seconds")]
    [InlineData("jobwatch.storage.operation.duration", "s", false, "jobwatch_storage_operation_duration_seconds")]
    [InlineData("jobwatch.job.last_success_timestamp", "s", false, "jobwatch_job_last_success_timestamp_seconds")]
    [InlineData("jobwatch.queue.oldest_waiting_age", "s", false, "jobwatch_queue_oldest_waiting_age_seconds")]
    [InlineData("jobwatch.build_info", null, false, "jobwatch_build_info")]
    [InlineData("already_seconds", "s", false, "already_seconds")]
    [InlineData("odd-name/x", null, true, "odd_name_x_total")]
    public void Instrument_names_become_prometheus_names(string instrument, string? unit, bool counter, string expected) =>
        Assert.Equal(expected, PrometheusText.MetricName(instrument, unit, counter));

    [Fact]
    public void Label_values_and_help_are_escaped_and_numbers_are_invariant()
    {
        var counter = new CounterFamily("test_total", "Help with \\ backslash\nand newline");
        ReadOnlySpan<KeyValuePair<string, object?>> tags = [new("source", "quote \" back \\ nl \n end"), new("code", 429)];
        counter.Add(3, tags);
        counter.Add(0.5, tags);
        var histogram = new HistogramFamily("test_seconds", "A histogram", [0.1, 1]);
        ReadOnlySpan<KeyValuePair<string, object?>> op = [new("operation", "x")];
        histogram.Record(0.1, op);
        histogram.Record(0.5, op);
        histogram.Record(7, op);

        var culture = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        var text = new StringBuilder();
        try
        {
            var writer = new PrometheusText(text);
            writer.Family(counter);
            writer.Family(histogram);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = culture;
        }

        var families = Exposition.Parse(text.ToString());
        Assert.Equal("Help with \\ backslash\nand newline", families["test_total"].Help);
        var sample = Assert.Single(families["test_total"].Samples);
        Assert.Equal("quote \" back \\ nl \n end", sample["source"]);
        Assert.Equal("429", sample["code"]);
        Assert.Equal(3.5, sample.Value);
        Assert.Contains("test_total{source=\"quote \\\" back \\\\ nl \\n end\",code=\"429\"} 3.5\n", text.ToString());

        var h = families["test_seconds"];
        Assert.Equal(["0.1", "1", "+Inf"], h.Samples.Where(s => s.Name == "test_seconds_bucket").Select(s => s["le"]));
        // "le" is inclusive: 0.1 falls in the 0.1 bucket.
        Assert.Equal([1.0, 2.0, 3.0], h.Samples.Where(s => s.Name == "test_seconds_bucket").Select(s => s.Value));
        Assert.Equal(7.6, h.Samples.Single(s => s.Name == "test_seconds_sum").Value, 10);
        Assert.Equal(3, h.Samples.Single(s => s.Name == "test_seconds_count").Value);
    }

    [Fact]
    public void Tags_in_another_order_or_missing_map_onto_the_first_measurements_labels()
    {
        var counter = new CounterFamily("test_total", "x");
        counter.Add(1, [new("queue", "a"), new("job_name", "n")]);
        counter.Add(1, [new("job_name", "n"), new("queue", "a")]);
        counter.Add(1, [new("queue", "b")]);
        var text = new StringBuilder();
        new PrometheusText(text).Family(counter);

        var samples = Exposition.Parse(text.ToString())["test_total"].Samples;
        Assert.Equal(2, samples.Single(s => s["queue"] == "a").Value);
        Assert.Equal("", samples.Single(s => s["queue"] == "b")["job_name"]);
    }

    [Fact]
    public void Series_recorded_in_turns_from_racing_threads_keep_exact_totals()
    {
        // Each family remembers the series it recorded last; interleaved series must still land in their own cells.
        var counter = new CounterFamily("test_total", "x");
        var histogram = new HistogramFamily("test_seconds", "x", [1]);
        Parallel.For(0, 40_000, i =>
        {
            var queue = (i % 4).ToString(System.Globalization.CultureInfo.InvariantCulture);
            counter.Add(1, [new("queue", queue)]);
            histogram.Record(i % 2 == 0 ? 0.5 : 2, [new("queue", queue)]);
        });
        var text = new StringBuilder();
        var writer = new PrometheusText(text);
        writer.Family(counter);
        writer.Family(histogram);

        var families = Exposition.Parse(text.ToString());
        Assert.All(families["test_total"].Samples, s => Assert.Equal(10_000, s.Value));
        Assert.Equal(4, families["test_total"].Samples.Count);
        var h = families["test_seconds"];
        Assert.All(h.Samples.Where(s => s.Name == "test_seconds_count"), s => Assert.Equal(10_000, s.Value));
        // Queues 0 and 2 only ever saw 0.5, queues 1 and 3 only 2.
        Assert.Equal(20_000, h.Samples.Where(s => s.Name == "test_seconds_bucket" && s["le"] == "1").Sum(s => s.Value));
    }

    [Fact]
    public void A_snapshot_family_shows_only_the_latest_collection_and_adds_up_repeated_series()
    {
        var gauge = new SnapshotFamily("test_jobs", "x", "gauge");
        gauge.Observe(5, [new("queue", "a")]);
        gauge.EndCollection();
        gauge.Observe(1, [new("queue", "b")]);
        gauge.Observe(2, [new("queue", "b")]);
        gauge.EndCollection();
        var text = new StringBuilder();
        new PrometheusText(text).Family(gauge);

        var sample = Assert.Single(Exposition.Parse(text.ToString())["test_jobs"].Samples);
        Assert.Equal(("b", 3.0), (sample["queue"], sample.Value));
    }
}
