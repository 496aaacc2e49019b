namespace Jobwatch.StatusCodes;

/// <summary>
/// All status codes known to this process. Built-in codes may be overridden once by the application;
/// registering the same code twice from the application is a start-up error naming both registrations
/// (seed 000 itself lists 470 twice, which this catches).
/// </summary>
public sealed class StatusCodeRegistry
{
    private readonly Dictionary<int, StatusCodeDefinition> _codes = new();

    public StatusCodeRegistry(IEnumerable<StatusCodeDefinition> registrations)
    {
        foreach (var builtIn in JobStatusCodes.Defaults)
        {
            _codes[builtIn.Code] = builtIn;
        }

        foreach (var definition in registrations)
        {
            Validate(definition);
            if (_codes.TryGetValue(definition.Code, out var existing) && existing.RegisteredBy != JobStatusCodes.BuiltIn)
            {
                throw new InvalidOperationException(
                    $"Status code {definition.Code} is registered twice: as {existing.Label} (by {existing.RegisteredBy}) " +
                    $"and as {definition.Label} (by {definition.RegisteredBy}). Give one of them another code.");
            }
            _codes[definition.Code] = definition;
        }
    }

    public StatusCodeRegistry() : this([]) { }

    public IReadOnlyCollection<StatusCodeDefinition> All => _codes.Values.OrderBy(c => c.Code).ToArray();

    public bool TryGet(int code, out StatusCodeDefinition definition) => _codes.TryGetValue(code, out definition!);

    /// <summary>The definition of a code; an unregistered code gets a generic label from its class (e.g. ERROR_418) so it is never lost.</summary>
    public StatusCodeDefinition Get(int code)
    {
        if (_codes.TryGetValue(code, out var definition))
        {
            return definition;
        }
        var cls = StatusCodeDefinition.ClassOf(code);
        var label = cls switch
        {
            StatusCodeClass.Pending => $"PENDING_{code}",
            StatusCodeClass.Success => $"SUCCESS_{code}",
            StatusCodeClass.Skipped => $"SKIPPED_{code}",
            _ => $"ERROR_{code}",
        };
        // Unknown error codes are not retried: retrying is opt-in per registered code.
        return new StatusCodeDefinition(code, label, "Unregistered status code", Retryable: false, "unregistered");
    }

    private static void Validate(StatusCodeDefinition d)
    {
        StatusCodeDefinition.ClassOf(d.Code);
        if (string.IsNullOrWhiteSpace(d.Label))
        {
            throw new ArgumentException($"Status code {d.Code} needs a label (e.g. RATE_LIMITED).");
        }
    }
}
