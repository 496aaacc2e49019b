using Jobwatch.Handlers;

namespace Jobwatch.Cli.Tests.Infrastructure;

public sealed record EchoArgs(string? Text = null);

/// <summary>Completes at once with 200.</summary>
public sealed class EchoHandler : IJobHandler<EchoArgs>
{
    public const string Name = "echo";
    public Task<JobResult> HandleAsync(EchoArgs args, JobContext context, CancellationToken cancellationToken) => Task.FromResult(JobResult.Success());
}

public sealed record FailArgs(string Message = "boom");

/// <summary>Throws (status 500, with a stack); one attempt, so the job is dead-lettered at once. Queue "critical" unless enqueued elsewhere.</summary>
public sealed class FailHandler : IJobHandler<FailArgs>
{
    public const string Name = "always_fails";
    public const string Queue = "critical";
    public Task<JobResult> HandleAsync(FailArgs args, JobContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(args.Message);
}

public sealed record CountArgs(int Total = 200, int Succeeded = 97, int Failed = 3);

/// <summary>Counts part of its items, then holds until the server's <see cref="TestGate"/> opens: a running job with progress to look at.</summary>
public sealed class CountingHandler(TestGate gate) : IJobHandler<CountArgs>
{
    public const string Name = "counting_sync";
    public const string Queue = "sync";
    public async Task<JobResult> HandleAsync(CountArgs args, JobContext context, CancellationToken cancellationToken)
    {
        context.SetTotal(args.Total);
        context.ItemSucceeded(args.Succeeded);
        context.ItemFailed(args.Failed);
        await gate.WaitAsync(cancellationToken);
        context.ItemSucceeded(args.Total - args.Succeeded - args.Failed);
        return JobResult.Success();
    }
}

/// <summary>Holds <see cref="CountingHandler"/> jobs running until opened (stopping the server cancels them).</summary>
public sealed class TestGate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public void Open() => _open.TrySetResult();
    public Task WaitAsync(CancellationToken ct) => _open.Task.WaitAsync(ct);
}
