using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Jobwatch.Handlers;

namespace Jobwatch.Engine;

/// <summary>Calls <see cref="IJobHandler{TArgs}"/> for an args type known only at run time, through a delegate built once per type.</summary>
internal static class HandlerInvoker
{
    private delegate Task<JobResult> Invoker(object handler, string payload, JobContext context, CancellationToken ct);

    private static readonly ConcurrentDictionary<Type, Invoker> Cache = new();
    private static readonly MethodInfo Typed = typeof(HandlerInvoker).GetMethod(nameof(InvokeTyped), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static Task<JobResult> InvokeAsync(JobDefinition definition, object handler, string payload, JobContext context, CancellationToken ct) =>
        Cache.GetOrAdd(definition.ArgsType, t => Typed.MakeGenericMethod(t).CreateDelegate<Invoker>())(handler, payload, context, ct);

    private static Task<JobResult> InvokeTyped<TArgs>(object handler, string payload, JobContext context, CancellationToken ct)
    {
        TArgs args;
        try
        {
            args = JsonSerializer.Deserialize<TArgs>(payload, JobJson.Options)!;
        }
        catch (JsonException ex)
        {
            throw new PayloadUnreadableException(typeof(TArgs), ex);
        }
        return ((IJobHandler<TArgs>)handler).HandleAsync(args, context, ct);
    }
}

/// <summary>The stored payload does not match the handler's args type: retrying cannot help.</summary>
internal sealed class PayloadUnreadableException(Type argsType, Exception inner)
    : Exception($"The job's payload could not be read as {argsType.Name}: {inner.Message}", inner);
