using Jobwatch.Handlers;

namespace Jobwatch.Api.Tests.Infrastructure;

public sealed record EchoArgs(string? Text = null);

/// <summary>Completes at once with 200.</summary>
public sealed class EchoHandler : IJobHandler<EchoArgs>
{
    public const string Name = "echo";
    public Task<JobResult> HandleAsync(EchoArgs args, JobContext context, CancellationToken cancellationToken) => Task.FromResult(JobResult.Success());
}

public sealed record FailArgs(int Code = 500, string Message = "boom");

/// <summary>Fails with the given code (500 via an exception, any other code via JobFailedException); one attempt, so it dead-letters at once.</summary>
public sealed class FailHandler : IJobHandler<FailArgs>
{
    public const string Name = "always_fails";
    public Task<JobResult> HandleAsync(FailArgs args, JobContext context, CancellationToken cancellationToken) =>
        args.Code == 500 ? throw new InvalidOperationException(args.Message) : throw new JobFailedException(args.Code, args.Message);
}

public sealed record CountArgs(int Total = 10, int Failed = 0);

/// <summary>Counts items with a total, then blocks until cancelled or released: a job that stays active with progress for tests to observe.</summary>
public sealed class CountingHandler(TestGate gate) : IJobHandler<CountArgs>
{
    public const string Name = "counting_sync";
    public async Task<JobResult> HandleAsync(CountArgs args, JobContext context, CancellationToken cancellationToken)
    {
        context.SetTotal(args.Total);
        context.ItemSucceeded(args.Total / 2 - args.Failed);
        if (args.Failed > 0)
        {
            context.ItemFailed(args.Failed);
        }
        await gate.WaitAsync(cancellationToken);
        context.ItemSucceeded(args.Total - args.Total / 2);
        return JobResult.Success();
    }
}

/// <summary>Holds <see cref="CountingHandler"/> jobs running until a test opens it (disposing the server cancels them).</summary>
public sealed class TestGate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public void Open() => _open.TrySetResult();
    public Task WaitAsync(CancellationToken ct) => _open.Task.WaitAsync(ct);
}
