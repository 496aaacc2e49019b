using System.Collections.Concurrent;
using Jobwatch.Handlers;

namespace Jobwatch.Engine.Tests.Infrastructure;

/// <summary>Args shared by every test job; tests tell jobs apart by name and these fields.</summary>
public sealed record TestArgs(int Value = 0, string? Text = null);

public delegate Task<JobResult> Script(TestArgs args, JobContext context, CancellationToken ct);

/// <summary>What each job name does in the current test.</summary>
public sealed class Scripts
{
    private readonly ConcurrentDictionary<string, Script> _byName = new(StringComparer.Ordinal);

    public void Set(string name, Script script) => _byName[name] = script;

    public Script Get(string name) =>
        _byName.TryGetValue(name, out var s) ? s : throw new InvalidOperationException($"No script for job name '{name}'.");
}

/// <summary>One handler type for all test job names: it runs the script registered for the job's name.</summary>
public sealed class ScriptedHandler(Scripts scripts) : IJobHandler<TestArgs>
{
    public Task<JobResult> HandleAsync(TestArgs args, JobContext context, CancellationToken cancellationToken) =>
        scripts.Get(context.Name)(args, context, cancellationToken);
}
