using Jobwatch.Client;
using Jobwatch.Handlers;
using Jobwatch.Model;
using Jobwatch.Monitoring;
using Jobwatch.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobwatch.Process.Tests;

/// <summary>
/// A temporary folder with one SQLite file (or a fresh PostgreSQL schema) and a ledger folder, the
/// worker processes started on it, and this test process's own view of the same store through
/// Jobwatch's client and monitor (no engine).
/// Disposing kills every process still running.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    public const string JobName = "ledger_job";
    private readonly List<WorkerProcess> _processes = [];
    private ServiceProvider? _services;

    private readonly string? _schema;

    /// <summary>A cluster on a fresh SQLite file, or on a fresh PostgreSQL schema (dropped at dispose) when <paramref name="postgres"/>.</summary>
    public ProcessCluster(bool postgres = false)
    {
        if (postgres)
        {
            PostgresConnectionString = PostgresTestServer.ConnectionString;
            _schema = PostgresTestServer.NewSchema();
        }
        Root = Path.Combine(Path.GetTempPath(), "jobwatch-process-tests", Guid.NewGuid().ToString("N")[..12]);
        LedgerDir = Path.Combine(Root, "ledgers");
        Directory.CreateDirectory(LedgerDir);
        DbPath = Path.Combine(Root, "jobs.db");
    }

    public string Root { get; }
    public string DbPath { get; }
    public string LedgerDir { get; }
    public string? PostgresConnectionString { get; }
    public string Schema => _schema ?? throw new InvalidOperationException("This cluster runs on SQLite.");

    private string[] StorageArgs => _schema is null
        ? ["--db", DbPath]
        : ["--storage", "postgres:" + PostgresConnectionString, "--schema", _schema];

    public WorkerProcess StartWorker(string name, params string[] options)
    {
        var worker = WorkerProcess.Start(name, Root, [.. StorageArgs, "--ledger-dir", LedgerDir, .. options]);
        _processes.Add(worker);
        return worker;
    }

    /// <summary>Enqueues from a separate process (the worker's --enqueue mode), waiting for it to exit.</summary>
    public async Task EnqueueFromProcessAsync(int count, int sleepMinMs, int sleepMaxMs)
    {
        var enqueuer = StartEnqueuer(count, sleepMinMs, sleepMaxMs);
        await WaitForEnqueuerAsync(enqueuer);
    }

    /// <summary>Starts a producer process (the worker's --enqueue mode) without waiting for it.</summary>
    public WorkerProcess StartEnqueuer(int count, int sleepMinMs, int sleepMaxMs, int batchSize = 250)
    {
        var enqueuer = WorkerProcess.Start("enqueuer", Root,
            [.. StorageArgs, "--enqueue", $"{count}", "--job-sleep-ms", $"{sleepMinMs}", "--job-sleep-max-ms", $"{sleepMaxMs}", "--batch-size", $"{batchSize}"]);
        _processes.Add(enqueuer);
        return enqueuer;
    }

    public static async Task WaitForEnqueuerAsync(WorkerProcess enqueuer)
    {
        var exit = await enqueuer.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, $"The enqueuer exited with {exit}. Output:\n{enqueuer.Output}");
    }

    private async Task<ServiceProvider> ServicesAsync()
    {
        if (_services is null)
        {
            var services = new ServiceCollection();
            services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
            var builder = services.AddJobwatch(o => o.RunWorkers = false);
            _ = _schema is null
                ? builder.UseSqlite($"Data Source={DbPath}")
                : builder.UsePostgres(PostgresConnectionString!, o => o.Schema = _schema);
            builder.AddHandler<NeverRunHandler, LedgerArgs>(JobName);
            _services = services.BuildServiceProvider();
            await _services.GetRequiredService<IJobStore>().MigrateAsync();
        }
        return _services;
    }

    /// <summary>Drops this process's store (and its connection pool), e.g. after a database restart broke the pooled connections.</summary>
    public async Task ResetServicesAsync()
    {
        if (_services is not null) await _services.DisposeAsync();
        _services = null;
    }

    public async Task<IJobMonitor> MonitorAsync() => (await ServicesAsync()).GetRequiredService<IJobMonitor>();

    public async Task<IReadOnlyList<long>> EnqueueAsync(int count, int sleepMs)
    {
        var client = (await ServicesAsync()).GetRequiredService<IJobClient>();
        return await client.EnqueueManyAsync(
            Enumerable.Range(0, count).Select(_ => new JobEnqueueRequest(JobName, new LedgerArgs(sleepMs))).ToArray());
    }

    public async Task<QueueCounts> CountsAsync()
    {
        var queues = await (await MonitorAsync()).GetQueuesAsync();
        return queues.SingleOrDefault(q => q.Queue == "default")?.Counts ?? new QueueCounts { Queue = "default" };
    }

    /// <summary>Every job in the file, read page by page through the monitor.</summary>
    public async Task<IReadOnlyList<JobRecord>> AllJobsAsync()
    {
        var monitor = await MonitorAsync();
        var all = new List<JobRecord>();
        JobListCursor? after = null;
        do
        {
            var page = await monitor.SearchAsync(new JobListParams { After = after, Limit = 1000 });
            all.AddRange(page.Jobs.Select(v => v.Job));
            after = page.Next;
        }
        while (after is not null);
        return all;
    }

    public IReadOnlyList<LedgerEntry> Ledger() => LedgerEntry.ReadAll(LedgerDir);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/>, the last state and every worker's output otherwise, or at once if a worker died on its own.</summary>
    public async Task WaitUntilAsync(string what, TimeSpan timeout, Func<Task<bool>> condition, Func<Task<string>>? state = null, int pollMs = 250)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var crashed = _processes.FirstOrDefault(p => !p.Killed && p.Name != "enqueuer" && p.HasExited);
            if (crashed is not null)
            {
                Assert.Fail($"Worker {crashed.Name} (pid {crashed.Pid}) exited with {crashed.ExitCode} while waiting for {what}. Output:\n{crashed.Output}");
            }
            if (await condition()) return;
            if (DateTime.UtcNow >= deadline)
            {
                var detail = state is null ? "" : await state();
                Assert.Fail($"Timed out after {timeout} waiting for {what}. {detail}\n{Outputs()}");
            }
            await Task.Delay(pollMs);
        }
    }

    public string Outputs() => string.Join("\n", _processes.Select(p => $"--- {p.Name} (pid {p.Pid}) ---\n{p.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _processes) p.Dispose();
        if (_services is not null) await _services.DisposeAsync();
        if (_schema is not null)
        {
            await PostgresTestServer.DropSchemaAsync(_schema);
        }
        if (Environment.GetEnvironmentVariable("JOBWATCH_KEEP_TEST_FILES") == "1")
        {
            // For diagnosis: the database and ledgers of every run stay in the temp folder.
            return;
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    public sealed record LedgerArgs(int SleepMs);

    /// <summary>Registered only so this process can enqueue "ledger_job" by name; it never runs workers.</summary>
    private sealed class NeverRunHandler : IJobHandler<LedgerArgs>
    {
        public Task<JobResult> HandleAsync(LedgerArgs args, JobContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The test process runs no workers.");
    }
}
