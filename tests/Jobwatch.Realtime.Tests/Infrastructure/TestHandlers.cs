using System.Collections.Concurrent;
using Jobwatch.DependencyInjection;
using Jobwatch.Handlers;

namespace Jobwatch.Realtime.Tests.Infrastructure;

public static class TestHandlers
{
    public static void Register(JobwatchBuilder jobwatch) => jobwatch
        .AddHandler<EchoHandler, EchoArgs>(EchoHandler.Name)
        .AddHandler<FailHandler, FailArgs>(FailHandler.Name, o => { o.MaxAttempts = 1; o.Queue = "critical"; })
        .AddHandler<FlakyHandler, FlakyArgs>(FlakyHandler.Name, o => { o.MaxAttempts = 3; o.Queue = "flaky"; })
        .AddHandler<CountingHandler, CountArgs>(CountingHandler.Name, o => { o.Queue = "sync"; o.Type = "sync"; })
        .AddHandler<CustomProgressHandler, CustomArgs>(CustomProgressHandler.Name, o => o.Queue = "custom")
        .AddHandler<BurstHandler, BurstArgs>(BurstHandler.Name, o => o.Queue = "burst");
}

public sealed record EchoArgs(string? Text = null);

/// <summary>Completes at once with 200.</summary>
public sealed class EchoHandler : IJobHandler<EchoArgs>
{
    public const string Name = "echo";
    public Task<JobResult> HandleAsync(EchoArgs args, JobContext context, CancellationToken cancellationToken) => Task.FromResult(JobResult.Success());
}

public sealed record FailArgs(int Code = 500, string Message = "boom");

/// <summary>Fails with the given code; one attempt, on queue "critical", so it dead-letters at once.</summary>
public sealed class FailHandler : IJobHandler<FailArgs>
{
    public const string Name = "always_fails";
    public Task<JobResult> HandleAsync(FailArgs args, JobContext context, CancellationToken cancellationToken) =>
        args.Code == 500 ? throw new InvalidOperationException(args.Message) : throw new JobFailedException(args.Code, args.Message);
}

public sealed record FlakyArgs(string Message = "rate limited");

/// <summary>The first attempt fails with 429 RATE_LIMITED (retryable); the second succeeds.</summary>
public sealed class FlakyHandler : IJobHandler<FlakyArgs>
{
    public const string Name = "flaky";
    public Task<JobResult> HandleAsync(FlakyArgs args, JobContext context, CancellationToken cancellationToken) =>
        context.Attempt == 1 ? throw new JobFailedException(429, args.Message) : Task.FromResult(JobResult.Success());
}

public sealed record CountArgs(int Total = 10, string Gate = "");

/// <summary>Sets a total, counts half the items, then holds until its gate opens (or it is cancelled) and counts the rest.</summary>
public sealed class CountingHandler(TestGate gate) : IJobHandler<CountArgs>
{
    public const string Name = "counting_sync";
    public async Task<JobResult> HandleAsync(CountArgs args, JobContext context, CancellationToken cancellationToken)
    {
        context.SetTotal(args.Total);
        context.ItemSucceeded(args.Total / 2);
        gate.Reached(args.Gate);
        await gate.WaitAsync(args.Gate, cancellationToken);
        context.ItemSucceeded(args.Total - args.Total / 2);
        return JobResult.Success();
    }
}

public sealed record CustomArgs(string Gate = "");

/// <summary>Reports seed 003's custom progress (batch n of 3), holding after the first batch until its gate opens.</summary>
public sealed class CustomProgressHandler(TestGate gate) : IJobHandler<CustomArgs>
{
    public const string Name = "custom_progress";
    public async Task<JobResult> HandleAsync(CustomArgs args, JobContext context, CancellationToken cancellationToken)
    {
        context.ReportCustom(new { batch = 1, totalBatches = 3, phase = "fetching" });
        context.ReportPercent(33.3);
        gate.Reached(args.Gate);
        await gate.WaitAsync(args.Gate, cancellationToken);
        context.ReportCustom(new { batch = 3, totalBatches = 3, phase = "done" });
        context.ReportPercent(100);
        return JobResult.Success();
    }
}

public sealed record BurstArgs(int Items = 1000);

/// <summary>Counts <see cref="BurstArgs.Items"/> items as fast as it can: a progress storm.</summary>
public sealed class BurstHandler : IJobHandler<BurstArgs>
{
    public const string Name = "progress_burst";
    public Task<JobResult> HandleAsync(BurstArgs args, JobContext context, CancellationToken cancellationToken)
    {
        context.SetTotal(args.Items);
        for (var i = 0; i < args.Items; i++)
        {
            context.ItemSucceeded();
        }
        return Task.FromResult(JobResult.Success());
    }
}

/// <summary>Named gates that hold handlers until a test opens them (disposing the server opens all); and a record of which were reached.</summary>
public sealed class TestGate
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _reached = new();
    private volatile bool _allOpen;

    public void Open(string name = "") => Gate(_gates, name).TrySetResult();

    public void OpenAll()
    {
        _allOpen = true;
        foreach (var gate in _gates.Values)
        {
            gate.TrySetResult();
        }
    }

    public Task WaitAsync(string name, CancellationToken ct) => _allOpen ? Task.CompletedTask : Gate(_gates, name).Task.WaitAsync(ct);

    public void Reached(string name) => Gate(_reached, name).TrySetResult();

    /// <summary>Waits (30 s at most) until a handler holding at gate <paramref name="name"/> has reported its first progress.</summary>
    public Task WhenReachedAsync(string name = "") => Gate(_reached, name).Task.WaitAsync(TimeSpan.FromSeconds(30));

    private static TaskCompletionSource Gate(ConcurrentDictionary<string, TaskCompletionSource> gates, string name) =>
        gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
