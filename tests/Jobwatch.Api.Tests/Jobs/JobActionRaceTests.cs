using Jobwatch.Api.Tests.Infrastructure;
using Jobwatch.AspNetCore.Auth;
using Jobwatch.Client;
using Jobwatch.Events;
using Jobwatch.Model;
using Jobwatch.Monitoring;
using Jobwatch.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwatch.Api.Tests.Jobs;

/// <summary>
/// An action's answer shows what the action did, even when a worker changes the job before the endpoint reads it
/// back: a retried job answered as "active" (or "failed" again) would tell the operator the retry did not happen.
/// </summary>
public sealed class JobActionRaceTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;
    private WorkerTakesJobsMonitor _monitor = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync(o => o.Services = s =>
        {
            var inner = s.Single(d => d.ServiceType == typeof(IJobMonitor));
            s.Remove(inner);
            s.AddSingleton<WorkerTakesJobsMonitor>(sp => new((IJobMonitor)inner.ImplementationFactory!(sp)));
            s.AddSingleton<IJobMonitor>(sp => sp.GetRequiredService<WorkerTakesJobsMonitor>());
        });
        _monitor = _server.Services.GetRequiredService<WorkerTakesJobsMonitor>();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>A dead-lettered job; its queue is paused after, so the retried job stays waiting for real.</summary>
    private async Task<long> FailedJobAsync()
    {
        await _server.Jobs.ResumeQueueAsync("critical");
        var id = await _server.Jobs.EnqueueAsync(FailHandler.Name, new FailArgs(470, "kaput"));
        await _server.WaitForJobAsync(id, j => j.State == JobState.Failed, "failed");
        await _server.Jobs.PauseQueueAsync("critical");
        return id;
    }

    [Fact]
    public async Task A_retried_job_that_a_worker_took_before_the_read_back_is_answered_as_waiting()
    {
        var id = await FailedJobAsync();
        using var client = _server.Client(JobwatchRole.Operator);

        _monitor.TakeWaitingJobs = true;
        var job = await (await client.PostAsync($"api/v1/jobs/{id}/retry", null)).ReadJsonAsync();

        Assert.True(_monitor.Took > 0, "The read-back should have seen the job taken by a worker.");
        Assert.Equal("waiting", job.GetProperty("state").GetString());
        Assert.Equal(0, job.GetProperty("attempt").GetInt32());
    }

    [Fact]
    public async Task Without_a_change_in_between_the_answer_carries_the_read_back()
    {
        var id = await FailedJobAsync();
        using var client = _server.Client(JobwatchRole.Operator);
        var readBacks = _monitor.ReadBacks;

        var job = await (await client.PostAsync($"api/v1/jobs/{id}/retry", null)).ReadJsonAsync();

        Assert.Equal(0, _monitor.Took);
        Assert.Equal("waiting", job.GetProperty("state").GetString());
        Assert.Equal(readBacks + 1, _monitor.ReadBacks); // the endpoint still reads back for the derived figures
    }

    /// <summary>The real monitor, except that once told to, it reports a waiting job as already started by a worker.</summary>
    private sealed class WorkerTakesJobsMonitor(IJobMonitor inner) : DelegatingJobMonitor(inner)
    {
        public volatile bool TakeWaitingJobs;
        private int _took, _readBacks;
        public int Took => Volatile.Read(ref _took);
        public int ReadBacks => Volatile.Read(ref _readBacks);

        public override async Task<JobDetail?> GetJobAsync(long id, CancellationToken ct = default)
        {
            Interlocked.Increment(ref _readBacks);
            var detail = await base.GetJobAsync(id, ct);
            if (!TakeWaitingJobs || detail is not { View.Job: { State: JobState.Waiting } job })
            {
                return detail;
            }
            Interlocked.Increment(ref _took);
            return detail with { View = detail.View with { Job = job with { State = JobState.Active, Attempt = job.Attempt + 1 } } };
        }
    }
}
