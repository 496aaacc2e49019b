using Jobwatch.DependencyInjection;

namespace Jobwatch.Server.Demo;

/// <summary>
/// Seed 000's status codes. 404, 429 and 500 are built in and not re-registered; 100 and 200 likewise.
/// None of the seed's error codes is retryable: they describe data the API refused, which asking again will not fix.
/// </summary>
public static class DemoStatusCodes
{
    public const int SuccessSummary = 201;
    public const int SuccessMedia = 202;
    public const int SuccessPets = 203;
    public const int SuccessMounts = 204;
    public const int SuccessProfessions = 205;
    public const int NotEuRegion = 305;
    public const int ErrorGuild = 450;
    public const int ErrorRoster = 451;
    public const int ErrorProfessions = 470;
    // Seed 000 lists 470 twice (ERROR_PROFESSIONS and ERROR_MOUNTS); Jobwatch refuses duplicate codes, so mounts get 471.
    public const int ErrorMounts = 471;
    public const int ErrorPets = 480;
    public const int ErrorSummary = 490;
    public const int ErrorMedia = 498;
    public const int ErrorStatus = 499;
    /// <summary>Seed 004's "unmarshal" error type: a poison message no retry can fix.</summary>
    public const int UnparseableEvent = 422;

    private const string Source = "demo (seed 000)";

    public static JobwatchBuilder AddDemoStatusCodes(this JobwatchBuilder jobwatch) => jobwatch
        .AddStatusCode(SuccessSummary, "SUCCESS_SUMMARY", "Summary data fetched successfully", registeredBy: Source)
        .AddStatusCode(SuccessMedia, "SUCCESS_MEDIA", "Media data fetched successfully", registeredBy: Source)
        .AddStatusCode(SuccessPets, "SUCCESS_PETS", "Pet data fetched successfully", registeredBy: Source)
        .AddStatusCode(SuccessMounts, "SUCCESS_MOUNTS", "Mount data fetched successfully", registeredBy: Source)
        .AddStatusCode(SuccessProfessions, "SUCCESS_PROFESSIONS", "Profession data fetched successfully", registeredBy: Source)
        .AddStatusCode(NotEuRegion, "NOT_EU_REGION", "Skipped - only EU region is supported", registeredBy: Source)
        .AddStatusCode(ErrorGuild, "ERROR_GUILD", "Failed to fetch guild data", registeredBy: Source)
        .AddStatusCode(ErrorRoster, "ERROR_ROSTER", "Failed to fetch guild roster", registeredBy: Source)
        .AddStatusCode(ErrorProfessions, "ERROR_PROFESSIONS", "Failed to fetch profession data", registeredBy: Source)
        .AddStatusCode(ErrorMounts, "ERROR_MOUNTS", "Failed to fetch mount data", registeredBy: Source)
        .AddStatusCode(ErrorPets, "ERROR_PETS", "Failed to fetch pet data", registeredBy: Source)
        .AddStatusCode(ErrorSummary, "ERROR_SUMMARY", "Failed to fetch summary data", registeredBy: Source)
        .AddStatusCode(ErrorMedia, "ERROR_MEDIA", "Failed to fetch media data", registeredBy: Source)
        .AddStatusCode(ErrorStatus, "ERROR_STATUS", "Failed to determine status", registeredBy: Source)
        .AddStatusCode(UnparseableEvent, "UNPARSEABLE_EVENT", "The event body could not be parsed (seed 004 error_type=unmarshal)", registeredBy: "demo (seed 004)");
}
