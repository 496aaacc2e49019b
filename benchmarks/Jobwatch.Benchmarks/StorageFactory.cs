using Jobwatch.DependencyInjection;
using Microsoft.Data.Sqlite;

namespace Jobwatch.Benchmarks;

/// <summary>
/// A store a benchmark runs against: how to register it, and what to clean up afterwards.
/// <see cref="Kind"/> goes into the results; connection strings never do (they may hold passwords).
/// </summary>
public abstract class StorageTarget : IDisposable
{
    public abstract string Kind { get; }
    public abstract void Register(JobwatchBuilder builder);
    /// <summary>Adds what the result needs to know about the store (server version, durability settings), never credentials.</summary>
    public virtual Task DescribeAsync(System.Text.Json.Nodes.JsonObject json) => Task.CompletedTask;

    /// <summary>
    /// A connection that makes the cheapest durable commit the store's database allows, one per call, or null where
    /// the store has no such measure. See <see cref="Scenarios.CommitFloor"/>.
    /// </summary>
    public virtual Task<ICommitProbe?> OpenCommitProbeAsync() => Task.FromResult<ICommitProbe?>(null);

    public virtual void Dispose() { }
}

/// <summary>One durable commit of a trivial row per <see cref="CommitAsync"/>, on a connection of its own.</summary>
public interface ICommitProbe : IAsyncDisposable
{
    Task CommitAsync();
}

/// <summary>The one place that turns <c>--storage SPEC</c> into a store; a new backend is one more case here.</summary>
public static class StorageFactory
{
    public const string Supported = "sqlite | sqlite:PATH | postgres:<connection string>";

    public static StorageTarget Create(string spec)
    {
        var colon = spec.IndexOf(':');
        var kind = colon < 0 ? spec : spec[..colon];
        var rest = colon < 0 ? null : spec[(colon + 1)..];
        return kind switch
        {
            "sqlite" when rest is null => SqliteTarget.Temporary(),
            "sqlite" when rest.Length > 0 => new SqliteTarget(Path.GetFullPath(rest), deleteAfterwards: false),
            "sqlite" => throw new UsageException("--storage sqlite:PATH needs a path after the colon (or use plain 'sqlite' for a temp file)."),
            "postgres" or "postgresql" => PostgresTarget.FreshSchema(rest),
            _ => throw new UsageException($"Unknown storage '{spec}': use {Supported}."),
        };
    }
}

public sealed class SqliteTarget(string path, bool deleteAfterwards) : StorageTarget
{
    public static SqliteTarget Temporary() =>
        new(Path.Combine(Path.GetTempPath(), $"jobwatch-bench-{Guid.NewGuid():N}.db"), deleteAfterwards: true);

    public override string Kind => "sqlite";
    public string FilePath => path;
    /// <summary>A temp file of this run only (plain <c>sqlite</c>), deleted afterwards.</summary>
    public bool IsTemporary => deleteAfterwards;

    public override void Register(JobwatchBuilder builder) => builder.UseSqlite($"Data Source={path}");

    public override void Dispose()
    {
        if (!deleteAfterwards)
        {
            return;
        }
        // Pooled connections keep the file (and its -wal/-shm) open.
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A leftover temp file is harmless; the result matters more than the clean-up.
            }
        }
    }
}
