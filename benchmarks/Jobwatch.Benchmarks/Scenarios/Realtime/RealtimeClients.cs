using Jobwatch.Client;
using Microsoft.AspNetCore.Http.Connections;

namespace Jobwatch.Benchmarks.Scenarios.Realtime;

/// <summary>One subscribed hub client: what it received, and how long after the event happened (same process, same clock).</summary>
public sealed class MeasuredClient : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<double> _latencies = new(capacity: 64 * 1024);
    private readonly HashSet<long> _completed = [];
    private long _progress;
    private long _duplicates;

    private MeasuredClient(JobwatchHubClient hub) => Hub = hub;

    public JobwatchHubClient Hub { get; }
    /// <summary>Progress events reported before this moment are warm-up and not timed.</summary>
    public DateTimeOffset TimedFrom { get; set; } = DateTimeOffset.MaxValue;
    public long Progress => Interlocked.Read(ref _progress);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public int Completed { get { lock (_gate) { return _completed.Count; } } }

    public static async Task<MeasuredClient> ConnectAsync(Uri server, HttpTransportType transport)
    {
        var client = new MeasuredClient(new JobwatchHubClient(server, new JobwatchHubClientOptions { Transports = transport, AutomaticReconnect = false }));
        client.Hub.OnJobProgress(p =>
        {
            if (p.Snapshot)
            {
                return;
            }
            var latency = (DateTimeOffset.UtcNow - p.Timestamp).TotalMilliseconds;
            Interlocked.Increment(ref client._progress);
            if (p.Timestamp >= client.TimedFrom)
            {
                lock (client._gate)
                {
                    client._latencies.Add(latency);
                }
            }
        });
        client.Hub.OnJobCompleted(c =>
        {
            lock (client._gate)
            {
                if (!client._completed.Add(c.JobId))
                {
                    client._duplicates++;
                }
            }
        });
        await client.Hub.StartAsync();
        return client;
    }

    public double[] Latencies() { lock (_gate) { return [.. _latencies]; } }

    /// <summary>Forgets the previous round.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _latencies.Clear();
            _completed.Clear();
            _progress = 0;
            _duplicates = 0;
            TimedFrom = DateTimeOffset.MaxValue;
        }
    }

    public ValueTask DisposeAsync() => Hub.DisposeAsync();
}
