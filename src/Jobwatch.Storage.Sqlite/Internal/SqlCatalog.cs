using System.Reflection;

namespace Jobwatch.Storage.Sqlite.Internal;

/// <summary>
/// The embedded <c>Sql/*.sql</c> and <c>Migrations/*.sql</c> files, read once when the type is first
/// used. A missing file fails at start-up (the first store call), not in the middle of a request.
/// </summary>
internal static class SqlCatalog
{
    private const string SqlPrefix = "Jobwatch.Storage.Sqlite.Sql.";
    private const string MigrationPrefix = "Jobwatch.Storage.Sqlite.Migrations.";
    private static readonly Assembly Assembly = typeof(SqlCatalog).Assembly;

    public static readonly string ConnectionWriterPragmas = Load(nameof(ConnectionWriterPragmas));
    public static readonly string ConnectionReaderPragmas = Load(nameof(ConnectionReaderPragmas));

    public static readonly string TransactionBeginImmediate = Load(nameof(TransactionBeginImmediate));
    public static readonly string TransactionCommit = Load(nameof(TransactionCommit));
    public static readonly string TransactionRollback = Load(nameof(TransactionRollback));

    public static readonly string MigrationsEnsureTable = Load(nameof(MigrationsEnsureTable));
    public static readonly string MigrationsListApplied = Load(nameof(MigrationsListApplied));
    public static readonly string MigrationsRecord = Load(nameof(MigrationsRecord));

    public static readonly string JobInsert = Load(nameof(JobInsert));
    public static readonly string RunStart = Load(nameof(RunStart));
    public static readonly string RunAdopt = Load(nameof(RunAdopt));
    public static readonly string TimelineInsert = Load(nameof(TimelineInsert));
    public static readonly string TimelineInsertCreated = Load(nameof(TimelineInsertCreated));
    public static readonly string TimelineInsertStarted = Load(nameof(TimelineInsertStarted));

    public static readonly string JobFetchAvailable = Load(nameof(JobFetchAvailable));
    public static readonly string JobLeaseRenewMany = Load(nameof(JobLeaseRenewMany));
    public static readonly string JobProgressSave = Load(nameof(JobProgressSave));
    public static readonly string JobFinishComplete = Load(nameof(JobFinishComplete));
    public static readonly string JobFinishRetry = Load(nameof(JobFinishRetry));
    public static readonly string JobFinishDeadLetter = Load(nameof(JobFinishDeadLetter));
    public static readonly string JobFinishRelease = Load(nameof(JobFinishRelease));

    public static readonly string JobRescueSelectExpired = Load(nameof(JobRescueSelectExpired));
    public static readonly string JobRescueRequeue = Load(nameof(JobRescueRequeue));
    public static readonly string JobRescueFail = Load(nameof(JobRescueFail));
    public static readonly string JobPromoteDue = Load(nameof(JobPromoteDue));

    public static readonly string JobRetry = Load(nameof(JobRetry));
    public static readonly string JobRetryMany = Load(nameof(JobRetryMany));
    public static readonly string JobCancel = Load(nameof(JobCancel));
    public static readonly string JobDeleteTimeline = Load(nameof(JobDeleteTimeline));
    public static readonly string JobDelete = Load(nameof(JobDelete));
    public static readonly string QueueSetPaused = Load(nameof(QueueSetPaused));

    public static readonly string LeaderAttemptElect = Load(nameof(LeaderAttemptElect));
    public static readonly string LeaderResign = Load(nameof(LeaderResign));

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
