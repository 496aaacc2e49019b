using Jobwatch.Client;
using Jobwatch.Handlers;
using Jobwatch.StatusCodes;

namespace Jobwatch.Server.Demo;

/// <summary>Seed 000's OSINT_Guilds job data: <c>createdBy</c> travels as the job's CreatedBy, <c>updatedBy</c> is set by the handler.</summary>
public sealed record GuildArgs(string Guid, string Name, string Realm, string Region);

/// <summary>Seed 000's OSINT_Characters job data; <see cref="Fetch"/> is "all" or one part (summary, media, pets, mounts, professions).</summary>
public sealed record CharacterArgs(string Guid, string Name, string Realm, string Fetch);

/// <summary>Names, queues and sources of the OSINT family, as seed 000 spells them.</summary>
public static class Osint
{
    public const string GuildJob = "osint_guild";
    public const string CharacterJob = "osint_character";
    public const string GuildsQueue = "OSINT_Guilds";
    public const string CharactersQueue = "OSINT_Characters";
    public const string Type = "osint";

    public const string GuildRoster = "OSINT-GUILD-ROSTER";
    public const string GuildRequest = "OSINT-GUILD-REQUEST";
    public const string CharacterRequest = "OSINT-CHARACTER-REQUEST";
    public const string GuildGet = "OSINT-GUILD-GET";
    public const string CharacterGet = "OSINT-CHARACTER-GET";
    public const string MythicPlus = "OSINT-MYTHIC-PLUS";

    public static readonly string[] Realms = ["gordunni", "howling-fjord", "soulflayer", "draenor", "silvermoon"];
    public static readonly string[] Parts = ["summary", "media", "pets", "mounts", "professions"];

    /// <summary>The fake API lets this many calls through, then refuses one with 429: a rate-limit window that fills.</summary>
    private const int CallsPerWindow = 12;
    private static long _calls;

    /// <summary>
    /// A fake Blizzard API call: some latency, and every <see cref="CallsPerWindow"/>th first attempt is rate limited
    /// (on a fixed count rather than at random, so a 429 and its retry show up within seconds of starting the demo).
    /// A retry comes after the backoff, in a fresh window, and goes through.
    /// </summary>
    public static async Task CallApiAsync(JobContext context, CancellationToken ct)
    {
        await Task.Delay(Random.Shared.Next(40, 250), ct);
        if (context.Attempt == 1 && Interlocked.Increment(ref _calls) % CallsPerWindow == 0)
        {
            throw new JobFailedException(JobStatusCodes.RateLimited, "Blizzard API answered 429 Too Many Requests (simulated)");
        }
    }

    public static bool Roll(double chance) => Random.Shared.NextDouble() < chance;
}

/// <summary>Updates a guild, then queues its roster's characters with createdBy OSINT-GUILD-ROSTER.</summary>
public sealed class GuildHandler(IJobClient jobs) : IJobHandler<GuildArgs>
{
    public async Task<JobResult> HandleAsync(GuildArgs args, JobContext context, CancellationToken ct)
    {
        if (!string.Equals(args.Region, "eu", StringComparison.OrdinalIgnoreCase))
        {
            return JobResult.Skipped(DemoStatusCodes.NotEuRegion, $"{args.Guid} is in region '{args.Region}'; only EU is supported");
        }
        await Osint.CallApiAsync(context, ct);
        context.SetUpdatedBy(Osint.GuildGet);
        if (Osint.Roll(0.03))
        {
            return JobResult.Error(DemoStatusCodes.ErrorGuild, $"No guild summary for {args.Guid} (simulated)");
        }

        await Osint.CallApiAsync(context, ct);
        if (Osint.Roll(0.03))
        {
            return JobResult.Error(DemoStatusCodes.ErrorRoster, $"Roster of {args.Guid} could not be read (simulated)");
        }
        var members = Random.Shared.Next(1, 4);
        var requests = Enumerable.Range(1, members)
            .Select(i => new JobEnqueueRequest(Osint.CharacterJob,
                new CharacterArgs($"{args.Name.ToLowerInvariant()}-member{i}@{args.Realm}", $"{args.Name} member {i}", args.Realm, "summary"),
                new EnqueueOptions { CreatedBy = Osint.GuildRoster }))
            .ToArray();
        await jobs.EnqueueManyAsync(requests, ct);
        return JobResult.Success(new { guild = args.Guid, rosterQueued = members });
    }
}

/// <summary>Fetches one part of a character (201–205) or all of them (200), item by item.</summary>
public sealed class CharacterHandler : IJobHandler<CharacterArgs>
{
    private static readonly Dictionary<string, (int Success, int Error)> Codes = new(StringComparer.Ordinal)
    {
        ["summary"] = (DemoStatusCodes.SuccessSummary, DemoStatusCodes.ErrorSummary),
        ["media"] = (DemoStatusCodes.SuccessMedia, DemoStatusCodes.ErrorMedia),
        ["pets"] = (DemoStatusCodes.SuccessPets, DemoStatusCodes.ErrorPets),
        ["mounts"] = (DemoStatusCodes.SuccessMounts, DemoStatusCodes.ErrorMounts),
        ["professions"] = (DemoStatusCodes.SuccessProfessions, DemoStatusCodes.ErrorProfessions),
    };

    public async Task<JobResult> HandleAsync(CharacterArgs args, JobContext context, CancellationToken ct)
    {
        var parts = args.Fetch == "all" ? Osint.Parts : [args.Fetch];
        if (parts.Any(p => !Codes.ContainsKey(p)))
        {
            return JobResult.Error(DemoStatusCodes.ErrorStatus, $"Unknown part '{args.Fetch}'; use all, {string.Join(", ", Osint.Parts)}");
        }
        context.SetTotal(parts.Length);
        await Osint.CallApiAsync(context, ct);
        if (Osint.Roll(0.02))
        {
            return JobResult.Error(JobStatusCodes.NotFound, $"Character {args.Guid} not found (renamed or deleted, simulated)");
        }
        if (Osint.Roll(0.01))
        {
            throw new IOException("Connection reset by the Blizzard API (simulated unhandled error)");
        }
        context.SetUpdatedBy(Osint.Roll(0.3) ? Osint.MythicPlus : Osint.CharacterGet);

        foreach (var part in parts)
        {
            await Task.Delay(Random.Shared.Next(20, 120), ct);
            if (Osint.Roll(0.02))
            {
                context.ItemFailed();
                return JobResult.Error(Codes[part].Error, $"Fetching {part} of {args.Guid} failed (simulated)");
            }
            context.ItemSucceeded();
        }
        if (Osint.Roll(0.01))
        {
            return JobResult.Error(DemoStatusCodes.ErrorStatus, $"Could not determine the status of {args.Guid} (simulated)");
        }
        return JobResult.Code(parts.Length == 1 ? Codes[parts[0]].Success : JobStatusCodes.Success, new { character = args.Guid, parts });
    }
}
