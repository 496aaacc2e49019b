using Jobwatch.Client;
using Jobwatch.Events;
using Jobwatch.Handlers;
using Jobwatch.Model;
using Jobwatch.Storage.Postgres.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Jobwatch.Storage.Tests.Postgres;

/// <summary>
/// Two real Jobwatch hosts wired with <c>UsePostgres</c> on one schema: an API-only node that enqueues
/// and watches, and a worker node. The worker polls only every 10 minutes, so a job that starts at once
/// was woken by NOTIFY; its completion reaches the API node's event stream through the relay.
/// </summary>
public sealed class PostgresEngineTwoNodeTests : IAsyncLifetime
{
    private readonly string _schema = PostgresTestDatabase.NewSchemaName();
    private readonly List<IHost> _hosts = [];

    public sealed record EchoArgs(string Text);

    public sealed class EchoHandler : IJobHandler<EchoArgs>
    {
        public Task<JobResult> HandleAsync(EchoArgs args, JobContext context, CancellationToken cancellationToken)
        {
            context.SetTotal(1);
            context.ItemSucceeded();
            return Task.FromResult(JobResult.Success(new { echoed = args.Text }));
        }
    }

    private async Task<IHost> StartNodeAsync(bool runWorkers)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddJobwatch(o =>
            {
                o.RunWorkers = runWorkers;
                o.PollInterval = TimeSpan.FromMinutes(10);
                o.WorkerId = runWorkers ? "worker-node" : "api-node";
            })
            .UsePostgres(PostgresTestDatabase.ConnectionString, o => o.Schema = _schema)
            .AddHandler<EchoHandler, EchoArgs>("echo", h => h.Queue = "e2e");
        var host = builder.Build();
        _hosts.Add(host);
        await host.StartAsync();
        return host;
    }

    [Fact]
    public async Task JobEnqueuedOnOneNode_RunsOnTheOther_AndItsEventsComeBack()
    {
        var api = await StartNodeAsync(runWorkers: false);
        var worker = await StartNodeAsync(runWorkers: true);
        await worker.Services.GetRequiredService<PostgresNotifications>().WhenListeningAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await api.Services.GetRequiredService<PostgresNotifications>().WhenListeningAsync().WaitAsync(TimeSpan.FromSeconds(30));
        using var events = api.Services.GetRequiredService<IJobEventStream>().Subscribe();

        var id = await api.Services.GetRequiredService<IJobClient>().EnqueueAsync("echo", new EchoArgs("hello"));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<JobEvent>();
        try
        {
            await foreach (var e in events.ReadAllAsync(timeout.Token))
            {
                if (e.JobId != id) continue;
                seen.Add(e);
                if (e.Kind == JobEventKind.Completed) break;
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"No completed event for job {id} reached the API node within 30 s; saw: {string.Join(", ", seen.Select(e => e.Kind))}.");
        }

        // Created is published locally by the API node once its insert returns; the worker node may
        // already have started the job (woken at commit) and relayed Started before that.
        Assert.Contains(seen, e => e.Kind == JobEventKind.Created);
        Assert.Contains(seen, e => e.Kind == JobEventKind.Started && e.WorkerId == "worker-node");
        var job = await api.Services.GetRequiredService<IJobStore>().JobGetAsync(id);
        Assert.Equal(JobState.Completed, job?.State);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            if (host is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync(); else host.Dispose();
        }
        await PostgresTestDatabase.DropSchemasAsync([_schema]);
    }
}
