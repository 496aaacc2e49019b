namespace Jobwatch.AspNetCore.Auth;

/// <summary>What a token may do. Roles are not ranked in a line: a reporter may report runs but not read or act.</summary>
public enum JobwatchRole
{
    /// <summary>Reads jobs, queues, history, health and metrics.</summary>
    Viewer,
    /// <summary>Starts external runs and reports their progress and outcome (a process that only reports).</summary>
    Reporter,
    /// <summary>Reads, enqueues and acts on jobs and queues (retry, cancel, delete, bulk retry, pause, resume), reads the audit trail.</summary>
    Operator,
    /// <summary>Everything.</summary>
    Admin,
}

/// <summary>The authorization policies every Jobwatch endpoint uses; a host app may reuse them on its own endpoints.</summary>
public static class JobwatchPolicies
{
    public const string Read = "jobwatch:read";
    public const string Report = "jobwatch:report";
    public const string Operate = "jobwatch:operate";
    public const string Admin = "jobwatch:admin";

    /// <summary>The roles each policy admits.</summary>
    public static IReadOnlyDictionary<string, JobwatchRole[]> Roles { get; } = new Dictionary<string, JobwatchRole[]>
    {
        [Read] = [JobwatchRole.Viewer, JobwatchRole.Operator, JobwatchRole.Admin],
        [Report] = [JobwatchRole.Reporter, JobwatchRole.Operator, JobwatchRole.Admin],
        [Operate] = [JobwatchRole.Operator, JobwatchRole.Admin],
        [Admin] = [JobwatchRole.Admin],
    };
}
