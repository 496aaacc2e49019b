using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Jobwatch.Observability;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwatch.Engine.Tests.Metrics;

public sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags);

/// <summary>A MeterListener on one host's Jobwatch Meter (the instance, not the name) that keeps every measurement of its synchronous instruments.</summary>
public sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measured> _all = new();

    public MeasurementRecorder(IServiceProvider services)
    {
        var meter = services.GetRequiredService<JobwatchMetrics>().Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && !instrument.IsObservable)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value?.ToString();
        }
        _all.Enqueue(new Measured(instrument.Name, value, copy));
    }

    public IReadOnlyList<Measured> Of(string instrument, params (string Key, string Value)[] tags) =>
        _all.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && v == t.Value)).ToArray();

    public double Sum(string instrument, params (string Key, string Value)[] tags) => Of(instrument, tags).Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();
}
