using System.Collections.Concurrent;
using System.Diagnostics;
using Jobwatch.Observability;

namespace Jobwatch.Engine.Tests.Tracing;

/// <summary>An ActivityListener that samples Jobwatch's source and the tests' own, and keeps every stopped span.</summary>
public sealed class SpanRecorder : IDisposable
{
    private const string ProducerName = "Jobwatch.Tests.Producer";
    public static readonly ActivitySource Producer = new(ProducerName);

    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == JobwatchDiagnostics.ActivitySourceName || s.Name == ProducerName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => _stopped.Enqueue(a),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The job spans of one job, in the order they ended, once <paramref name="count"/> have ended.</summary>
    public async Task<Activity[]> JobSpansAsync(long jobId, int count)
    {
        Activity[] spans = [];
        await Infrastructure.Eventually.UntilAsync(() =>
        {
            spans = _stopped.Where(a => a.Source.Name == JobwatchDiagnostics.ActivitySourceName && Equals(a.GetTagItem(JobTracing.Tags.JobId), jobId)).ToArray();
            return spans.Length >= count;
        }, $"{count} span(s) of job {jobId}");
        return spans;
    }

    public void Dispose() => _listener.Dispose();
}
