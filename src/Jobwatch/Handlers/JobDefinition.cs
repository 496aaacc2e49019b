namespace Jobwatch.Handlers;

/// <summary>Per-handler settings, given at registration.</summary>
public sealed class JobHandlerOptions
{
    /// <summary>The queue jobs of this name go to unless the enqueue says otherwise.</summary>
    public string Queue { get; set; } = "default";
    /// <summary>A category shared by several names (seed 001's job_type); defaults to the name.</summary>
    public string? Type { get; set; }
    public int MaxAttempts { get; set; } = 3;
    /// <summary>Cancels the handler after this long (status 408 TIMEOUT); null: no limit.</summary>
    public TimeSpan? Timeout { get; set; }
    public int Priority { get; set; }
}

/// <summary>A registered job name: its handler, argument type and defaults.</summary>
public sealed record JobDefinition(string Name, Type ArgsType, Type HandlerType, JobHandlerOptions Options)
{
    public string Type => Options.Type ?? Name;
}

/// <summary>All job names this process can run or enqueue. Names are the stable identity of a job: renaming a class never breaks stored jobs.</summary>
public sealed class JobDefinitionRegistry
{
    private readonly Dictionary<string, JobDefinition> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, List<JobDefinition>> _byArgs = new();

    public JobDefinitionRegistry(IEnumerable<JobDefinition> definitions)
    {
        foreach (var d in definitions)
        {
            if (!_byName.TryAdd(d.Name, d))
            {
                throw new InvalidOperationException(
                    $"Job name '{d.Name}' is registered twice (handlers {_byName[d.Name].HandlerType.Name} and {d.HandlerType.Name}). Job names must be unique.");
            }
            if (!_byArgs.TryGetValue(d.ArgsType, out var list))
            {
                _byArgs[d.ArgsType] = list = [];
            }
            list.Add(d);
        }
    }

    public IReadOnlyCollection<JobDefinition> All => _byName.Values;

    public IEnumerable<string> Queues => _byName.Values.Select(d => d.Options.Queue).Distinct(StringComparer.Ordinal);

    public bool TryGet(string name, out JobDefinition definition) => _byName.TryGetValue(name, out definition!);

    public JobDefinition Get(string name) =>
        TryGet(name, out var d)
            ? d
            : throw new UnknownJobNameException(name, _byName.Keys);

    /// <summary>The single name registered for an args type (for typed enqueue).</summary>
    public JobDefinition GetByArgs(Type argsType)
    {
        if (!_byArgs.TryGetValue(argsType, out var list))
        {
            throw new InvalidOperationException($"No handler is registered for arguments of type {argsType.Name}. Register one with AddHandler<THandler, {argsType.Name}>(\"name\").");
        }
        if (list.Count > 1)
        {
            throw new InvalidOperationException(
                $"Arguments of type {argsType.Name} are registered under several names ({string.Join(", ", list.Select(d => d.Name))}); enqueue by name instead.");
        }
        return list[0];
    }
}

public sealed class UnknownJobNameException(string name, IEnumerable<string> known)
    : Exception($"No handler is registered for job name '{name}'. Registered names: {string.Join(", ", known.OrderBy(n => n, StringComparer.Ordinal))}.")
{
    public string JobName { get; } = name;
}
