using System.Diagnostics;
using Jobwatch.Engine.Tests.Infrastructure;
using Jobwatch.Handlers;
using Jobwatch.Model;
using Jobwatch.Observability;

namespace Jobwatch.Engine.Tests.Tracing;

/// <summary>One span per job execution on the "Jobwatch" ActivitySource, parented to the trace stored with the job.</summary>
public sealed class JobTracingTests(ITestOutputHelper output) : IDisposable
{
    private readonly SpanRecorder _spans = new();

    public void Dispose() => _spans.Dispose();

    [Fact]
    public async Task A_job_span_is_a_child_of_the_span_that_enqueued_it()
    {
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("traced", (_, _, _) => Task.FromResult(JobResult.Success())));
        long id;
        ActivityContext producer;
        using (var request = SpanRecorder.Producer.StartActivity("POST /orders"))
        {
            producer = request!.Context;
            id = await host.EnqueueAsync("traced");
        }
        await host.WaitForStateAsync(id, JobState.Completed);

        var span = Assert.Single(await _spans.JobSpansAsync(id, 1));
        Assert.Equal(producer.TraceId, span.TraceId);
        Assert.Equal(producer.SpanId, span.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, span.Kind);
        Assert.Equal(JobTracing.RunActivityName, span.OperationName);
        Assert.Equal("run traced", span.DisplayName);
        Assert.Equal("default", span.GetTagItem(JobTracing.Tags.Queue));
        Assert.Equal("traced", span.GetTagItem(JobTracing.Tags.JobName));
        Assert.Equal(1, span.GetTagItem(JobTracing.Tags.Attempt));
        Assert.Equal(200, span.GetTagItem(JobTracing.Tags.StatusCode));
        Assert.Equal("SUCCESS", span.GetTagItem(JobTracing.Tags.StatusLabel));
        Assert.Equal("completed", span.GetTagItem(JobTracing.Tags.Outcome));
        Assert.Equal(host.WorkerId, span.GetTagItem(JobTracing.Tags.WorkerId));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task Each_failed_attempt_is_an_error_span_in_the_enqueuers_trace()
    {
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("explodes", (_, _, _) => throw new InvalidOperationException("kaboom"), o => o.MaxAttempts = 2));
        long id;
        ActivityTraceId trace;
        using (var request = SpanRecorder.Producer.StartActivity("cron tick"))
        {
            trace = request!.TraceId;
            id = await host.EnqueueAsync("explodes");
        }
        await host.WaitForStateAsync(id, JobState.Failed);

        var spans = await _spans.JobSpansAsync(id, 2);
        Assert.Equal([1, 2], spans.Select(s => (int)s.GetTagItem(JobTracing.Tags.Attempt)!));
        Assert.Equal(["retrying", "dead_lettered"], spans.Select(s => (string)s.GetTagItem(JobTracing.Tags.Outcome)!));
        Assert.All(spans, s =>
        {
            Assert.Equal(trace, s.TraceId);
            Assert.Equal(ActivityStatusCode.Error, s.Status);
            Assert.Equal("kaboom", s.StatusDescription);
            Assert.Equal(500, s.GetTagItem(JobTracing.Tags.StatusCode));
            Assert.Equal(typeof(InvalidOperationException).FullName, s.GetTagItem(JobTracing.Tags.ErrorType));
            Assert.Contains(s.Events, e => e.Name == "exception");
        });
    }

    [Fact]
    public async Task A_job_enqueued_outside_any_trace_starts_its_own_even_when_the_engine_started_inside_one()
    {
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("untraced", (_, _, _) => Task.FromResult(JobResult.Success())), start: false);
        ActivityTraceId startup;
        using (var ambient = SpanRecorder.Producer.StartActivity("host start"))
        {
            startup = ambient!.TraceId;
            // The worker loops start here and carry this activity as their ambient context.
            await host.StartAsync();
        }
        Assert.Null(Activity.Current);
        var id = await host.EnqueueAsync("untraced");
        await host.WaitForStateAsync(id, JobState.Completed);

        var span = Assert.Single(await _spans.JobSpansAsync(id, 1));
        Assert.NotEqual(startup, span.TraceId);
        Assert.Equal(default, span.ParentSpanId);
        Assert.Null((await host.GetRequiredAsync(id)).TraceParent);
    }

    [Fact]
    public async Task Work_a_handler_enqueues_joins_the_handlers_trace()
    {
        EngineHost? self = null;
        var childId = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("parent", async (_, _, _) =>
            {
                childId.TrySetResult(await self!.EnqueueAsync("child"));
                return JobResult.Success();
            })
            .Handle("child", (_, _, _) => Task.FromResult(JobResult.Success())), start: false);
        self = host;
        await host.StartAsync();
        long parentId;
        using (SpanRecorder.Producer.StartActivity("request"))
        {
            parentId = await host.EnqueueAsync("parent");
        }
        var child = await Eventually.WithinAsync(childId.Task, "the parent job to enqueue its child");
        await host.WaitForStateAsync(child, JobState.Completed);

        var parentSpan = Assert.Single(await _spans.JobSpansAsync(parentId, 1));
        var childSpan = Assert.Single(await _spans.JobSpansAsync(child, 1));
        Assert.Equal(parentSpan.TraceId, childSpan.TraceId);
        Assert.Equal(parentSpan.SpanId, childSpan.ParentSpanId);
        Assert.Equal(parentSpan.Id, (await host.GetRequiredAsync(child)).TraceParent);
    }
}
