using System.Reflection;

namespace Jobwatch.Storage.Postgres.Internal;

/// <summary>
/// The embedded <c>Sql/*.sql</c> and <c>Migrations/*.sql</c> files, read once when the type is first
/// used. A missing file fails at start-up (the first store call), not in the middle of a request.
/// </summary>
internal static class SqlCatalog
{
    private const string SqlPrefix = "Jobwatch.Storage.Postgres.Sql.";
    private const string MigrationPrefix = "Jobwatch.Storage.Postgres.Migrations.";
    private static readonly Assembly Assembly = typeof(SqlCatalog).Assembly;

    public static readonly string MigrationsLock = Load(nameof(MigrationsLock));
    public static readonly string MigrationsInspect = Load(nameof(MigrationsInspect));
    public static readonly string MigrationsEnsureTable = Load(nameof(MigrationsEnsureTable));
    public static readonly string MigrationsListApplied = Load(nameof(MigrationsListApplied));
    public static readonly string MigrationsRecord = Load(nameof(MigrationsRecord));

    public static readonly string JobInsertMany = Load(nameof(JobInsertMany));
    public static readonly string JobInsertOne = Load(nameof(JobInsertOne));
    public static readonly string RunStart = Load(nameof(RunStart));
    public static readonly string RunAdopt = Load(nameof(RunAdopt));

    public static readonly string JobFetchAvailable = Load(nameof(JobFetchAvailable));
    public static readonly string JobLeaseRenewMany = Load(nameof(JobLeaseRenewMany));
    public static readonly string JobProgressSaveMany = Load(nameof(JobProgressSaveMany));
    public static readonly string JobFinishMany = Load(nameof(JobFinishMany));

    public static readonly string JobRescueExpired = Load(nameof(JobRescueExpired));
    public static readonly string JobPromoteDue = Load(nameof(JobPromoteDue));

    public static readonly string JobRetry = Load(nameof(JobRetry));
    public static readonly string JobRetryMany = Load(nameof(JobRetryMany));
    public static readonly string JobCancel = Load(nameof(JobCancel));
    public static readonly string JobDelete = Load(nameof(JobDelete));
    public static readonly string QueueSetPaused = Load(nameof(QueueSetPaused));

    public static readonly string LeaderAttemptElect = Load(nameof(LeaderAttemptElect));
    public static readonly string LeaderResign = Load(nameof(LeaderResign));

    public static readonly string NotifyMany = Load(nameof(NotifyMany));
    public static readonly string ListenerPing = Load(nameof(ListenerPing));

    public static readonly string JobGet = Load(nameof(JobGet));
    public static readonly string JobTimelineList = Load(nameof(JobTimelineList));
    public static readonly string JobListNewest = Load(nameof(JobListNewest));
    public static readonly string JobListRecentlyFinished = Load(nameof(JobListRecentlyFinished));
    public static readonly string JobListFilters = Load(nameof(JobListFilters));
    public static readonly string JobLatestPerName = Load(nameof(JobLatestPerName));
    public static readonly string QueueCountsList = Load(nameof(QueueCountsList));
    public static readonly string DeadLetterCounts = Load(nameof(DeadLetterCounts));

    public static readonly string AuditAppend = Load(nameof(AuditAppend));
    public static readonly string AuditListNewest = Load(nameof(AuditListNewest));
    public static readonly string AuditListFilters = Load(nameof(AuditListFilters));

    /// <summary>The numbered migrations (<c>0001_initial.sql</c> …) in version order.</summary>
    public static readonly IReadOnlyList<Migration> Migrations = LoadMigrations();

    private static string Load(string name) => Read(SqlPrefix + name + ".sql");

    private static List<Migration> LoadMigrations()
    {
        var migrations = new List<Migration>();
        foreach (var resource in Assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(MigrationPrefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }
            // MSBuild may prefix a name that starts with a digit with '_' (0001_x.sql → _0001_x.sql).
            var name = resource[MigrationPrefix.Length..^".sql".Length].TrimStart('_');
            var separator = name.IndexOf('_');
            if (separator <= 0 || !int.TryParse(name[..separator], out var version))
            {
                throw new InvalidOperationException($"Embedded migration '{resource}' must be named NNNN_description.sql.");
            }
            migrations.Add(new Migration(version, name, Read(resource)));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Migrations '{migrations[i - 1].Name}' and '{migrations[i].Name}' share version {migrations[i].Version}.");
            }
        }
        return migrations;
    }

    private static string Read(string resource)
    {
        using var stream = Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded SQL resource '{resource}' is missing from {Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

internal sealed record Migration(int Version, string Name, string Sql);
