using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.IO.Pipelines;
using System.Text;
using Jobwatch.Observability;

namespace Jobwatch.AspNetCore.Metrics;

/// <summary>
/// Listens to the instruments of this host's Jobwatch <see cref="Meter"/> (the very instance, so two hosts in
/// one process never mix) and renders them as Prometheus text. Counters and histograms are aggregated as
/// measurements arrive, lock-free; observable gauges are read at each scrape. Scrapes run one at a time.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, MetricFamily> _families = new();
    private readonly SemaphoreSlim _scrape = new(1, 1);
    private readonly StringBuilder _text = new(64 * 1024);

    public PrometheusExporter(JobwatchMetrics metrics)
    {
        var meter = metrics.Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && Family(instrument) is { } family)
            {
                _families[instrument] = family;
                listener.EnableMeasurementEvents(instrument, family);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) => _families.TryRemove(instrument, out MetricFamily? _);
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => Record(state, value, tags));
        _listener.Start();
    }

    private static MetricFamily? Family(Instrument instrument)
    {
        var type = instrument.GetType();
        var kind = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        var help = instrument.Description ?? instrument.Name;
        if (kind == typeof(Counter<>))
        {
            return new CounterFamily(PrometheusText.MetricName(instrument.Name, instrument.Unit, counter: true), help);
        }
        if (kind == typeof(Histogram<>))
        {
            var bounds = (instrument as Histogram<double>)?.Advice?.HistogramBucketBoundaries?.ToArray() ?? DefaultBuckets;
            return new HistogramFamily(PrometheusText.MetricName(instrument.Name, instrument.Unit, counter: false), help, bounds);
        }
        if (kind == typeof(ObservableCounter<>))
        {
            return new SnapshotFamily(PrometheusText.MetricName(instrument.Name, instrument.Unit, counter: true), help, "counter");
        }
        if (kind == typeof(ObservableGauge<>) || kind == typeof(ObservableUpDownCounter<>))
        {
            return new SnapshotFamily(PrometheusText.MetricName(instrument.Name, instrument.Unit, counter: false), help, "gauge");
        }
        // Synchronous up-down counters and gauges: Jobwatch records none.
        return null;
    }

    private static void Record(object? state, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (state)
        {
            case CounterFamily counter:
                counter.Add(value, tags);
                break;
            case HistogramFamily histogram:
                histogram.Record(value, tags);
                break;
            case SnapshotFamily snapshot:
                snapshot.Observe(value, tags);
                break;
        }
    }

    private static void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (state)
        {
            case CounterFamily counter:
                counter.Add(value, tags);
                break;
            case HistogramFamily histogram:
                histogram.Record(value, tags);
                break;
            case SnapshotFamily snapshot:
                snapshot.Observe(value, tags);
                break;
        }
    }

    /// <summary>Reads the observable instruments and renders every family, sorted by name, as exposition text.</summary>
    public async Task<string> ScrapeAsync(CancellationToken ct = default)
    {
        await _scrape.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return Render().ToString();
        }
        finally
        {
            _scrape.Release();
        }
    }

    /// <summary>Like <see cref="ScrapeAsync"/>, but encodes the text straight into <paramref name="output"/> (no string of the whole text).</summary>
    public async Task WriteAsync(PipeWriter output, CancellationToken ct = default)
    {
        await _scrape.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            PrometheusText.CopyUtf8(Render(), output);
        }
        finally
        {
            _scrape.Release();
        }
        await output.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Into the one reused buffer, so a scrape allocates little beyond the gauges' readings.</summary>
    private StringBuilder Render()
    {
        _listener.RecordObservableInstruments();
        var families = _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal).ToArray();
        foreach (var snapshot in families.OfType<SnapshotFamily>())
        {
            snapshot.EndCollection();
        }
        _text.Clear();
        var text = new PrometheusText(_text);
        foreach (var family in families)
        {
            text.Family(family);
        }
        return _text;
    }

    public void Dispose()
    {
        _listener.Dispose();
        _scrape.Dispose();
    }
}
