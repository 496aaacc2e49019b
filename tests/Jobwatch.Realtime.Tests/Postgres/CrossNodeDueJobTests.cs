using Jobwatch.Client;
using Jobwatch.Model;
using Jobwatch.Realtime.Tests.Infrastructure;

namespace Jobwatch.Realtime.Tests.Postgres;

/// <summary>
/// A job delayed on an API-only node starts on a worker node when it falls due. The worker polls every 10 s and the
/// leader promotes due jobs every 10 s, so without the API node's alarm the jobs would start seconds late.
/// </summary>
public sealed class CrossNodeDueJobTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);
    private readonly PostgresNodes _nodes = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Fact]
    public async Task Jobs_delayed_on_one_node_start_on_another_when_due()
    {
        var worker = await _nodes.StartAsync(o => { o.WorkerId = "worker-node"; o.Engine = e => e.PollInterval = e.PromoteInterval = TimeSpan.FromSeconds(10); });
        var api = await _nodes.StartAsync(o => { o.RunWorkers = false; o.WorkerId = "api-node"; o.Engine = e => e.PromoteInterval = TimeSpan.FromSeconds(10); });
        await _nodes.WhenAllListeningAsync();
        var warm = await api.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs("warm-up"));
        await worker.WaitForJobAsync(warm, j => j.State == JobState.Completed, "completed");

        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await api.Jobs.EnqueueAsync(EchoHandler.Name, new EchoArgs($"later {i}"),
                new EnqueueOptions { Delay = TimeSpan.FromMilliseconds(700 + 250 * i) }));
        }

        var lateness = new List<TimeSpan>();
        foreach (var id in ids)
        {
            var job = await worker.WaitForJobAsync(id, j => j.State == JobState.Completed, "completed");
            lateness.Add(job.StartedAt!.Value - job.RunAt);
        }
        Assert.True(lateness.All(l => l >= TimeSpan.Zero && l < Bound),
            $"started after they fell due by {string.Join(", ", lateness.Select(l => $"{l.TotalMilliseconds:0} ms"))}");
    }
}
