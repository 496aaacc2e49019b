using System.Text.Json;
using Jobwatch.Audit;
using Jobwatch.Client;
using Jobwatch.Engine.Tests.Infrastructure;
using Jobwatch.Handlers;
using Jobwatch.Model;
using Jobwatch.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwatch.Engine.Tests.Audit;

/// <summary>What <see cref="IJobClient"/> writes to the audit trail for each operator action, on a real engine and SQLite file.</summary>
public class JobClientAuditTests(ITestOutputHelper output)
{
    private const string Operator = "token:ops-alice (operator)";

    private static Task<AuditPage> ListAsync(EngineHost host, AuditQuery? query = null) =>
        host.Services.GetRequiredService<IAuditTrail>().ListAsync(query ?? new AuditQuery());

    private static async Task<AuditEntry> SingleAsync(EngineHost host, AuditQuery query) =>
        Assert.Single((await ListAsync(host, query)).Entries);

    private static void AssertJobDetails(AuditEntry entry, string queue, string name, JobState state)
    {
        Assert.NotNull(entry.Details);
        using var json = JsonDocument.Parse(entry.Details);
        Assert.Equal(queue, json.RootElement.GetProperty("queue").GetString());
        Assert.Equal(name, json.RootElement.GetProperty("name").GetString());
        Assert.Equal(state.ToName(), json.RootElement.GetProperty("state").GetString());
    }

    private static Task<JobResult> Fail(TestArgs args, JobContext context, CancellationToken ct) =>
        throw new InvalidOperationException("always fails");

    private static Task<JobResult> Succeed(TestArgs args, JobContext context, CancellationToken ct) => Task.FromResult(JobResult.Success());

    [Fact]
    public async Task Retry_is_recorded_with_its_actor_target_and_each_outcome()
    {
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("always_fails", Fail, o => o.MaxAttempts = 1)
            .Handle("quick", Succeed));
        var failed = await host.EnqueueAsync("always_fails");
        var completed = await host.EnqueueAsync("quick");
        await host.WaitForStateAsync(failed, JobState.Failed);
        await host.WaitForStateAsync(completed, JobState.Completed);

        Assert.Equal(JobActionStatus.Done, (await host.Client.RetryAsync(failed, by: Operator)).Status);
        Assert.Equal(JobActionStatus.NotAllowed, (await host.Client.RetryAsync(completed)).Status);
        Assert.Equal(JobActionStatus.NotFound, (await host.Client.RetryAsync(completed + 1000, by: Operator)).Status);

        var entries = (await ListAsync(host, new AuditQuery { Action = AuditActions.JobRetry })).Entries;
        Assert.Equal(3, entries.Count);
        var (missing, notAllowed, done) = (entries[0], entries[1], entries[2]);

        Assert.Equal((Operator, AuditTargets.Job(failed), AuditOutcomes.Ok), (done.Actor, done.Target, done.Outcome));
        AssertJobDetails(done, "default", "always_fails", JobState.Waiting);

        Assert.Equal((AuditActors.App, AuditTargets.Job(completed), AuditOutcomes.NotAllowed), (notAllowed.Actor, notAllowed.Target, notAllowed.Outcome));
        AssertJobDetails(notAllowed, "default", "quick", JobState.Completed);

        Assert.Equal((Operator, AuditTargets.Job(completed + 1000), AuditOutcomes.NotFound), (missing.Actor, missing.Target, missing.Outcome));
        Assert.Null(missing.Details);
    }

    [Fact]
    public async Task Pause_cancel_delete_and_resume_are_recorded_in_order()
    {
        await using var host = await EngineHost.StartAsync(output, s => s.Handle("held", Succeed, o => o.Queue = "held_queue"));
        await host.Client.PauseQueueAsync("held_queue", by: Operator);
        var id = await host.EnqueueAsync("held");

        Assert.Equal(JobActionStatus.Done, (await host.Client.CancelAsync(id, by: Operator)).Status);
        Assert.Equal(JobActionStatus.NotAllowed, (await host.Client.CancelAsync(id, by: Operator)).Status);
        Assert.Equal(JobActionStatus.NotFound, (await host.Client.CancelAsync(id + 1000)).Status);
        Assert.True(await host.Client.DeleteAsync(id, by: Operator));
        Assert.False(await host.Client.DeleteAsync(id));
        await host.Client.ResumeQueueAsync("held_queue");

        var entries = (await ListAsync(host)).Entries.Reverse().ToArray();
        Assert.Equal(
            new[]
            {
                (AuditActions.QueuePause, Operator, "queue:held_queue", AuditOutcomes.Ok),
                (AuditActions.JobCancel, Operator, $"job:{id}", AuditOutcomes.Ok),
                (AuditActions.JobCancel, Operator, $"job:{id}", AuditOutcomes.NotAllowed),
                (AuditActions.JobCancel, AuditActors.App, $"job:{id + 1000}", AuditOutcomes.NotFound),
                (AuditActions.JobDelete, Operator, $"job:{id}", AuditOutcomes.Ok),
                (AuditActions.JobDelete, AuditActors.App, $"job:{id}", AuditOutcomes.NotFound),
                (AuditActions.QueueResume, AuditActors.App, "queue:held_queue", AuditOutcomes.Ok),
            },
            entries.Select(e => (e.Action, e.Actor, e.Target!, e.Outcome)).ToArray());
        AssertJobDetails(entries[1], "held_queue", "held", JobState.Cancelled);
        AssertJobDetails(entries[2], "held_queue", "held", JobState.Cancelled);
        AssertJobDetails(entries[4], "held_queue", "held", JobState.Cancelled);
        Assert.Null(entries[0].Details);
        Assert.Null(entries[3].Details);
        Assert.Null(entries[5].Details);
        Assert.True(entries.Zip(entries.Skip(1)).All(p => p.First.Id < p.Second.Id && p.First.At <= p.Second.At), "ids and times must grow in order");
    }

    [Fact]
    public async Task An_invalid_queue_name_is_rejected_before_anything_is_recorded()
    {
        await using var host = await EngineHost.StartAsync(output, s => s.Handle("quick", Succeed));

        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.PauseQueueAsync("no spaces allowed", by: Operator));

        Assert.Empty((await ListAsync(host)).Entries);
    }

    [Fact]
    public async Task An_actor_that_cannot_be_recorded_is_rejected_before_the_action_is_taken()
    {
        await using var host = await EngineHost.StartAsync(output, s => s.Handle("later", Succeed));
        var id = await host.EnqueueAsync("later", options: new EnqueueOptions { Delay = TimeSpan.FromHours(1) });

        var error = await Assert.ThrowsAsync<ArgumentException>(() => host.Client.CancelAsync(id, by: "forged\nactor"));
        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.DeleteAsync(id, by: new string('x', AuditTrail.MaxActorLength + 1)));

        Assert.Equal("by", error.ParamName);
        Assert.Equal(JobState.Delayed, (await host.GetRequiredAsync(id)).State);
        Assert.Empty((await ListAsync(host)).Entries);
    }

    [Fact]
    public async Task A_bulk_retry_is_one_entry_with_its_filter_count_and_ids()
    {
        await using var host = await EngineHost.StartAsync(output, s => s
            .Handle("a_fail", Fail, o => o.MaxAttempts = 1)
            .Handle("b_fail", Fail, o => o.MaxAttempts = 1));
        var a1 = await host.EnqueueAsync("a_fail");
        var a2 = await host.EnqueueAsync("a_fail");
        var b = await host.EnqueueAsync("b_fail");
        foreach (var id in new[] { a1, a2, b })
        {
            await host.WaitForStateAsync(id, JobState.Failed);
        }
        var failedAfter = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);

        var retried = await host.Client.RetryDeadLettersAsync(new DeadLetterFilter { Name = "a_fail", FailedAfter = failedAfter }, by: Operator);
        Assert.Equal([a1, a2], retried.Order());
        Assert.Empty(await host.Client.RetryDeadLettersAsync(new DeadLetterFilter { Queue = "default", StatusCode = 404, Limit = 5 }));

        var entries = (await ListAsync(host, new AuditQuery { Action = AuditActions.DeadLetterRetry })).Entries;
        Assert.Equal(2, entries.Count);
        var (none, some) = (entries[0], entries[1]);

        Assert.Equal((Operator, (string?)null, AuditOutcomes.Ok), (some.Actor, some.Target, some.Outcome));
        using (var json = JsonDocument.Parse(some.Details!))
        {
            var root = json.RootElement;
            var filter = root.GetProperty("filter");
            Assert.Equal("a_fail", filter.GetProperty("name").GetString());
            Assert.Equal(failedAfter, filter.GetProperty("failed_after").GetDateTimeOffset());
            Assert.Equal(10_000, filter.GetProperty("limit").GetInt32());
            Assert.False(filter.TryGetProperty("queue", out _), "unset filter fields are left out");
            Assert.Equal(2, root.GetProperty("count").GetInt32());
            Assert.Equal([a1, a2], root.GetProperty("ids").EnumerateArray().Select(e => e.GetInt64()).Order());
            Assert.False(root.GetProperty("ids_truncated").GetBoolean());
        }

        Assert.Equal((AuditActors.App, "queue:default", AuditOutcomes.Ok), (none.Actor, none.Target, none.Outcome));
        using (var json = JsonDocument.Parse(none.Details!))
        {
            var filter = json.RootElement.GetProperty("filter");
            Assert.Equal("default", filter.GetProperty("queue").GetString());
            Assert.Equal(404, filter.GetProperty("status_code").GetInt32());
            Assert.Equal(5, filter.GetProperty("limit").GetInt32());
            Assert.Equal(0, json.RootElement.GetProperty("count").GetInt32());
            Assert.Empty(json.RootElement.GetProperty("ids").EnumerateArray());
        }
    }

    [Fact]
    public void Bulk_retry_details_keep_the_first_100_ids_and_the_full_count()
    {
        var ids = Enumerable.Range(1, 150).Select(i => (long)i * 10).ToArray();

        using var json = JsonDocument.Parse(AuditDetails.DeadLetterRetry(new DeadLetterFilter(), ids));

        Assert.Equal(150, json.RootElement.GetProperty("count").GetInt32());
        Assert.Equal(ids.Take(AuditDetails.MaxIds), json.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt64()));
        Assert.True(json.RootElement.GetProperty("ids_truncated").GetBoolean());
    }

    [Fact]
    public async Task Enqueues_through_the_client_are_not_audited()
    {
        await using var host = await EngineHost.StartAsync(output, s => s.Handle("quick", Succeed));

        await host.EnqueueAsync("quick");
        await host.Client.EnqueueManyAsync([new JobEnqueueRequest("quick", new TestArgs()), new JobEnqueueRequest("quick", new TestArgs())]);

        Assert.Empty((await ListAsync(host)).Entries);
    }
}
