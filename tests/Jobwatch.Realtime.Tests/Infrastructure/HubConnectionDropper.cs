using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwatch.Realtime.Tests.Infrastructure;

/// <summary>
/// A hub filter that lets a test close hub connections from the server side the way SignalR itself does when it drops
/// a connection it expects back (a failed write, an expired token): the server ends the connection and forgets its
/// subscriptions, and the client is told it may reconnect. (<see cref="HubCallerContext.Abort"/> is not used: the
/// client takes that close as final and does not reconnect.) It can also hold one hub call in flight, so a drop can
/// land in the middle of it.
/// </summary>
public sealed class HubConnectionDropper : IHubFilter
{
    private readonly ConcurrentDictionary<string, HubCallerContext> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _closed = new(StringComparer.Ordinal);
    private HeldCall? _held;

    /// <summary>Registers the filter for every hub of a test server.</summary>
    public void AddTo(IServiceCollection services) => services.Configure<HubOptions>(o => o.AddFilter(this));

    public IReadOnlyCollection<string> OpenConnectionIds => _open.Keys.ToArray();

    /// <summary>Closes every open connection and waits (30 s at most) until the server has closed each; returns how many.</summary>
    public async Task<int> DropAllAsync()
    {
        var dropping = _open.ToArray();
        foreach (var (id, context) in dropping)
        {
            var closed = _closed.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            var lifetime = context.Features.Get<IConnectionLifetimeNotificationFeature>()
                ?? throw new InvalidOperationException($"Connection {id} cannot be asked to close (no {nameof(IConnectionLifetimeNotificationFeature)}).");
            lifetime.RequestClose();
            await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        return dropping.Length;
    }

    /// <summary>
    /// The next call of <paramref name="method"/> is held (never answered) until its connection ends. The task
    /// completes when that call has arrived.
    /// </summary>
    public Task HoldNextCallAsync(string method)
    {
        var held = new HeldCall(method);
        Volatile.Write(ref _held, held);
        return held.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        _open[context.Context.ConnectionId] = context.Context;
        return next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try
        {
            await next(context, exception);
        }
        finally
        {
            _open.TryRemove(context.Context.ConnectionId, out _);
            _closed.GetOrAdd(context.Context.ConnectionId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var held = Volatile.Read(ref _held);
        if (held is not null && held.Method == WireName(invocation) && Interlocked.CompareExchange(ref _held, null, held) == held)
        {
            held.Arrived.TrySetResult();
            var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (invocation.Context.ConnectionAborted.Register(() => aborted.TrySetResult()))
            {
                await aborted.Task;
            }
            throw new HubException($"{held.Method} was held until its connection dropped.");
        }
        return await next(invocation);
    }

    /// <summary>The name clients call (<see cref="HubMethodNameAttribute"/>, e.g. <c>subscribe-to-job</c>), not the C# method's.</summary>
    private static string WireName(HubInvocationContext invocation) =>
        invocation.HubMethod.GetCustomAttribute<HubMethodNameAttribute>()?.Name ?? invocation.HubMethodName;

    private sealed class HeldCall(string method)
    {
        public string Method { get; } = method;
        public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
