namespace Jobwatch.Cli.Tests.Infrastructure;

/// <summary>
/// A live server with a known set of real jobs for the read-only commands: three completed echo jobs, one failed job
/// with an error and a stack, and one counting job running at 100 of 200 items (3 failed). Tests sharing it must not
/// change it; the action tests have their own server.
/// </summary>
public sealed class SeededServer : IAsyncLifetime
{
    public const string FailureMessage = "upstream returned 502 for batch 7";

    public LiveServer Server { get; private set; } = null!;
    public long[] CompletedIds { get; private set; } = [];
    public long FailedId { get; private set; }
    public long RunningId { get; private set; }

    public async Task InitializeAsync()
    {
        Server = await LiveServer.StartAsync();
        var completed = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var id = await Server.EnqueueAsync(EchoHandler.Name, new EchoArgs($"hello {i}"));
            await Server.WaitForStatusAsync(id, "completed");
            completed.Add(id);
        }
        CompletedIds = [.. completed];
        FailedId = await Server.FailJobAsync(FailureMessage);
        RunningId = await Server.StartCountingJobAsync(new CountArgs(Total: 200, Succeeded: 97, Failed: 3));
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SeededServerCollection : ICollectionFixture<SeededServer>
{
    public const string Name = "seeded server";
}
