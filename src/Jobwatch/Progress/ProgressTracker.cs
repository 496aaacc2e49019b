using System.Text.Json;
using Jobwatch.Events;
using Jobwatch.Model;
using Jobwatch.Storage;

namespace Jobwatch.Progress;

/// <summary>
/// The live progress of one running job or run. Reports go to memory and straight to the event
/// stream; the <see cref="Engine.ProgressFlusher"/> writes the latest snapshot of dirty trackers to
/// storage on its interval, so 10,000 reports a second cost a few writes a second.
/// </summary>
public sealed class ProgressTracker : IProgressReporter
{
    private readonly object _gate = new();
    private readonly IJobEventPublisher _events;
    private readonly TimeProvider _time;
    private readonly TimeSpan? _heartbeatTimeout;
    private long? _total;
    private long _succeeded;
    private long _failed;
    private double? _percent;
    private string? _custom;
    private string? _updatedBy;
    private DateTimeOffset _lastReportAt;
    private long _version;
    private long _savedVersion;

    internal ProgressTracker(JobRecord job, IJobEventPublisher events, TimeProvider time, TimeSpan? heartbeatTimeout = null)
    {
        Job = job;
        _events = events;
        _time = time;
        _heartbeatTimeout = heartbeatTimeout;
        _total = job.TotalItems;
        _succeeded = job.ItemsSucceeded;
        _failed = job.ItemsFailed;
        _percent = job.ReportedPercent;
        _custom = job.CustomProgress;
        _updatedBy = job.UpdatedBy;
        StartedAt = job.StartedAt ?? time.GetUtcNow();
        _lastReportAt = time.GetUtcNow();
    }

    public JobRecord Job { get; }
    public DateTimeOffset StartedAt { get; }
    public string? UpdatedBy { get { lock (_gate) { return _updatedBy; } } }
    /// <summary>Set once the outcome is handed to the writer: the final progress travels with it, so no separate write or renewal is needed.</summary>
    public bool IsFinishing => Volatile.Read(ref _finishing);
    private bool _finishing;
    internal void MarkFinishing() => Volatile.Write(ref _finishing, true);

    public bool IsDirty => Interlocked.Read(ref _version) != Interlocked.Read(ref _savedVersion);

    public void SetTotal(long totalItems)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalItems);
        Update(JobEventKind.Progress, () => _total = totalItems);
    }

    public void ItemSucceeded(long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Update(JobEventKind.Progress, () => _succeeded += count);
    }

    public void ItemFailed(long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Update(JobEventKind.Progress, () => _failed += count);
    }

    public void ReportPercent(double percent)
    {
        if (double.IsNaN(percent) || percent < 0 || percent > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "A percentage is 0–100.");
        }
        Update(JobEventKind.Progress, () => _percent = percent);
    }

    public void ReportCustom(object progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var json = progress as string ?? JsonSerializer.Serialize(progress);
        Update(JobEventKind.Progress, () => _custom = json);
    }

    public void SetUpdatedBy(string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        Update(null, () => _updatedBy = source);
    }

    /// <summary>A report with no new numbers: keeps an external run alive.</summary>
    public void Heartbeat() => Update(null, () => { });

    private void Update(JobEventKind? publish, Action change)
    {
        JobProgressInfo info;
        // Checked before the change: a report nobody can see builds no event.
        var listened = publish is not null && _events.HasListeners;
        lock (_gate)
        {
            change();
            _lastReportAt = _time.GetUtcNow();
            _version++;
            if (!listened)
            {
                return;
            }
            info = InfoLocked(_lastReportAt);
        }
        _events.Publish(new JobEvent
        {
            Kind = JobEventKind.Progress,
            JobId = Job.Id,
            Queue = Job.Queue,
            Name = Job.Name,
            Type = Job.Type,
            At = _lastReportAt,
            State = JobState.Active,
            Attempt = Job.Attempt,
            MaxAttempts = Job.MaxAttempts,
            CreatedBy = Job.CreatedBy,
            UpdatedBy = _updatedBy,
            WorkerId = Job.WorkerId,
            IsExternal = Job.IsExternal,
            Progress = info,
        });
    }

    public JobProgressInfo Info()
    {
        lock (_gate)
        {
            return InfoLocked(_time.GetUtcNow());
        }
    }

    private JobProgressInfo InfoLocked(DateTimeOffset now) =>
        InfoOf(_total, _succeeded, _failed, _percent, _custom, StartedAt, now);

    /// <summary>The progress info of a snapshot (<see cref="Snapshot"/>) as of <paramref name="now"/>: what <see cref="Info"/> returned then.</summary>
    internal static JobProgressInfo InfoOf(JobProgressUpdate snapshot, DateTimeOffset startedAt, DateTimeOffset now) =>
        InfoOf(snapshot.TotalItems, snapshot.ItemsSucceeded, snapshot.ItemsFailed, snapshot.ReportedPercent, snapshot.CustomProgress, startedAt, now);

    private static JobProgressInfo InfoOf(long? total, long succeeded, long failed, double? percent, string? custom, DateTimeOffset startedAt, DateTimeOffset now)
    {
        var processed = succeeded + failed;
        var elapsed = now - startedAt;
        return new JobProgressInfo(total, succeeded, failed,
            ProgressMath.Percent(total, processed, percent),
            ProgressMath.ItemsPerSecond(processed, elapsed),
            ProgressMath.EtaSeconds(total, processed, percent, elapsed),
            custom);
    }

    /// <summary>The current values as a storage update, and the version they represent.</summary>
    internal (JobProgressUpdate Update, long Version) Snapshot()
    {
        lock (_gate)
        {
            return (new JobProgressUpdate
            {
                JobId = Job.Id,
                WorkerId = Job.WorkerId ?? "",
                Attempt = Job.Attempt,
                TotalItems = _total,
                ItemsSucceeded = _succeeded,
                ItemsFailed = _failed,
                ReportedPercent = _percent,
                CustomProgress = _custom,
                UpdatedBy = _updatedBy,
                At = _lastReportAt,
                LeaseUntil = _heartbeatTimeout is { } t ? _lastReportAt + t : null,
            }, _version);
        }
    }

    internal void MarkSaved(long version)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _savedVersion);
            if (version <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _savedVersion, version, current) != current);
    }
}
