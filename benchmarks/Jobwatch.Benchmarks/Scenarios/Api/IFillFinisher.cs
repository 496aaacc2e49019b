namespace Jobwatch.Benchmarks.Scenarios.Api;

/// <summary>What a reused store says about the fill it holds.</summary>
public sealed record FillMarker(int Version, int Jobs, int Seed, DateTimeOffset FilledAt, double FillSeconds);

/// <summary>
/// Brings freshly inserted jobs to their final states, straight in SQL, per backend.
/// </summary>
/// <remarks>
/// This is the one place the benchmark writes to the store behind its API, and only to seed it: driving
/// a million jobs through real workers would take the better part of an hour on this machine and would
/// measure the engine, not the monitoring queries. Each finisher writes exactly the columns, timeline
/// rows and side tables the engine's own transitions write (fetch, finish, retry, rescue, cancel), and
/// lets the schema's triggers keep their counters, so the rows cannot be told from real ones.
/// </remarks>
public interface IFillFinisher : IAsyncDisposable
{
    /// <summary>The marker of an earlier fill, or null when the store holds none.</summary>
    Task<FillMarker?> ReadMarkerAsync();

    /// <summary>How many jobs the store holds, whoever put them there.</summary>
    Task<long> CountJobsAsync();

    /// <summary>Finishes one inserted batch: <paramref name="ids"/>[k] is the id the store gave <paramref name="jobs"/>[k].</summary>
    Task FinishAsync(IReadOnlyList<long> ids, IReadOnlyList<FilledJob> jobs);

    /// <summary>Records the fill, and lets the database settle as a long-running one would have (statistics, visibility).</summary>
    Task CompleteAsync(FillMarker marker);

    /// <summary>Size of the store on disk, in MB, for the results.</summary>
    Task<double?> SizeMbAsync();
}
