namespace Jobwatch.Storage;

/// <summary>
/// Takes over an active external run from the owner it was last seen with (see <see cref="IJobStore.RunAdoptAsync"/>).
/// The expected owner and attempt are the fence: if either changed since the caller read the run, nothing is written.
/// </summary>
public sealed record RunAdoptParams
{
    public required long Id { get; init; }
    public required string ExpectedWorkerId { get; init; }
    public required int ExpectedAttempt { get; init; }
    /// <summary>Unique per adoption, so an old owner's late writes (keyed by its own id) can never match again.</summary>
    public required string NewOwnerId { get; init; }
    public required DateTimeOffset Now { get; init; }
    public required DateTimeOffset LeaseUntil { get; init; }
}
