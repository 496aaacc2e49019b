using Jobwatch.Events;
using Jobwatch.Model;
using Jobwatch.Monitoring;

namespace Jobwatch.AspNetCore.Realtime;

/// <summary>
/// Per-client rules between the queue and the wire, shared by the hub and the SSE stream:
/// a custom-progress message goes out when a job's custom object changes (not with every counter update), and after a
/// snapshot showed a job finished, the live events of that finish still in flight are not sent again (nor stale progress).
/// Used by one reader at a time.
/// </summary>
internal sealed class ClientEventShaper(TimeProvider time)
{
    private const int MaxTrackedJobs = 10_000;
    private static readonly TimeSpan StorageTimePrecision = TimeSpan.FromMilliseconds(1);
    private readonly Dictionary<long, string> _lastCustom = new();
    private readonly Dictionary<long, DateTimeOffset> _finishedAtSnapshot = new();

    public void Shape(SequencedEvent se, List<OutgoingMessage> output)
    {
        var e = se.Event;
        if (_finishedAtSnapshot.TryGetValue(e.JobId, out var finishedAt))
        {
            // Events from up to the finish were queued while the snapshot was read: the snapshot already told them.
            // Anything later (an operator's retry, a delete) is news. Storage may keep times coarser than the event's.
            if (e.At <= finishedAt + StorageTimePrecision)
            {
                return;
            }
            _finishedAtSnapshot.Remove(e.JobId);
        }
        output.Add(se.Message);
        if (e.Kind == JobEventKind.Progress && e.Progress?.CustomProgress is { } custom && CustomChanged(e.JobId, custom))
        {
            output.Add(se.CustomMessage!);
        }
        if (e.IsTerminal)
        {
            _lastCustom.Remove(e.JobId);
        }
    }

    public void ShapeSnapshot(JobDetail detail, long seq, List<OutgoingMessage> output)
    {
        var job = detail.View.Job;
        output.AddRange(EventPayloads.Snapshot(detail, seq, time.GetUtcNow()));
        if (job.State.IsTerminal())
        {
            if (_finishedAtSnapshot.Count >= MaxTrackedJobs)
            {
                _finishedAtSnapshot.Clear();
            }
            _finishedAtSnapshot[job.Id] = job.FinishedAt ?? time.GetUtcNow();
            _lastCustom.Remove(job.Id);
        }
        else if (job.CustomProgress is not null)
        {
            CustomChanged(job.Id, job.CustomProgress);
        }
    }

    private bool CustomChanged(long jobId, string custom)
    {
        if (_lastCustom.TryGetValue(jobId, out var last) && string.Equals(last, custom, StringComparison.Ordinal))
        {
            return false;
        }
        if (_lastCustom.Count >= MaxTrackedJobs)
        {
            _lastCustom.Clear();
        }
        _lastCustom[jobId] = custom;
        return true;
    }
}
