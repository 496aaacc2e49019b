using System.Diagnostics;
using System.Text.Json.Nodes;
using Jobwatch.AspNetCore.Metrics;
using Jobwatch.Observability;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwatch.Benchmarks.Diagnostics;

/// <summary>
/// What <c>--metrics</c> and <c>--traces</c> switch on: the Prometheus exporter's MeterListener on the host's
/// Jobwatch Meter (every instrument enabled, every measurement aggregated, as on a server that maps
/// <c>/metrics</c>), and an ActivityListener sampling every Jobwatch span. Off, the instruments have no listener.
/// </summary>
public sealed class BenchObservers : IDisposable
{
    private readonly PrometheusExporter? _exporter;
    private readonly ActivityListener? _tracer;
    private long _spans;

    public BenchObservers(BenchOptions options, IServiceProvider services)
    {
        if (options.Metrics)
        {
            _exporter = new PrometheusExporter(services.GetRequiredService<JobwatchMetrics>());
        }
        if (options.Traces)
        {
            _tracer = new ActivityListener
            {
                ShouldListenTo = s => s.Name == JobwatchDiagnostics.ActivitySourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _ => Interlocked.Increment(ref _spans),
            };
            ActivitySource.AddActivityListener(_tracer);
        }
    }

    public async Task DescribeAsync(JsonObject json)
    {
        json["metrics"] = _exporter is not null;
        json["traces"] = _tracer is not null;
        if (_tracer is not null)
        {
            json["spans"] = Interlocked.Read(ref _spans);
        }
        if (_exporter is not null)
        {
            // One scrape at the end, so a run with metrics on also proves the exporter saw the jobs.
            var text = await _exporter.ScrapeAsync();
            json["metrics_samples"] = text.Split('\n').Count(l => l.Length > 0 && !l.StartsWith('#'));
        }
    }

    public void Dispose()
    {
        _exporter?.Dispose();
        _tracer?.Dispose();
    }
}
