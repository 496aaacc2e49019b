using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Jobwatch.Benchmarks.Diagnostics;

/// <summary>Per store method: calls, items (jobs fetched, finished, inserted), and time as the engine saw it.</summary>
public sealed class StoreTimings
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    // The call is started inside the timing: a store may do all its work before returning the task.
    public async Task<T> TimeAsync<T>(string method, Func<Task<T>> call, Func<T, int>? items = null)
    {
        var start = Stopwatch.GetTimestamp();
        var result = await call().ConfigureAwait(false);
        _entries.GetOrAdd(method, _ => new Entry()).Add(Stopwatch.GetTimestamp() - start, items?.Invoke(result) ?? 0);
        return result;
    }

    public async Task TimeAsync(string method, Func<Task> call)
    {
        var start = Stopwatch.GetTimestamp();
        await call().ConfigureAwait(false);
        _entries.GetOrAdd(method, _ => new Entry()).Add(Stopwatch.GetTimestamp() - start, 0);
    }

    /// <summary>Forgets everything so far: each phase reports only its own calls.</summary>
    public void Reset() => _entries.Clear();

    public JsonObject ToJson()
    {
        var json = new JsonObject();
        foreach (var (method, e) in _entries.OrderByDescending(kv => kv.Value.Ticks))
        {
            lock (e)
            {
                json[method] = new JsonObject
                {
                    ["calls"] = e.Calls,
                    ["items"] = e.Items,
                    ["total_ms"] = ProcessStats.Round(e.Ticks * 1000.0 / Stopwatch.Frequency, 1),
                    ["mean_ms"] = ProcessStats.Round(e.Ticks * 1000.0 / Stopwatch.Frequency / e.Calls),
                    ["max_ms"] = ProcessStats.Round(e.MaxTicks * 1000.0 / Stopwatch.Frequency),
                };
            }
        }
        return json;
    }

    private sealed class Entry
    {
        public long Calls;
        public long Items;
        public long Ticks;
        public long MaxTicks;

        public void Add(long ticks, int items)
        {
            lock (this)
            {
                Calls++;
                Items += items;
                Ticks += ticks;
                MaxTicks = Math.Max(MaxTicks, ticks);
            }
        }
    }
}
