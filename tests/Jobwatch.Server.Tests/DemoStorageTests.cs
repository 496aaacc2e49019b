using System.Text.Json;
using Jobwatch.Model;

namespace Jobwatch.Server.Tests;

/// <summary>What the demo leaves in its SQLite file, read through IJobMonitor: every family, seed-shaped, and a dead-letter queue.</summary>
[Collection(ServerProcessCollection.Name)]
public sealed class DemoStorageTests : ServerTestBase
{
    private static readonly TimeSpan FillTimeout = TimeSpan.FromSeconds(90);

    private static readonly string[] DemoJobNames =
    [
        "osint_guild", "osint_character",
        "high_priority_tick_sync", "high_priority_comment_sync", "medium_priority_tick_sync", "medium_priority_comment_sync",
        "scoringAllValidators", "process_event", "route_count_backfill",
    ];

    [Fact]
    public async Task Every_demo_family_is_stored_and_poison_events_end_in_the_dead_letter_queue()
    {
        using var server = StartDemo();
        await WaitForEngineAsync(server);
        await using var stored = StoredJobs.Open(DatabasePath);
        var monitor = stored.Monitor;

        await Eventually.HoldsAsync("every demo job name in the summary", async () =>
        {
            var names = (await monitor.GetSummaryAsync()).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            var missing = DemoJobNames.Where(n => !names.Contains(n)).ToArray();
            return missing.Length == 0 ? null : $"missing {string.Join(", ", missing)}";
        }, FillTimeout, server.Describe);

        // Seed 004: one event in 20 is unparseable (422, not retried); one in 20 fails every attempt (500 ×3).
        await Eventually.HoldsAsync("poison events dead-lettered", async () =>
        {
            var events = (await monitor.GetDeadLetterRecentAsync(1000)).Where(v => v.Job.Name == "process_event").ToArray();
            var unparseable = events.Any(v => v.Job.StatusCode == 422 && v.Job.StatusLabel == "UNPARSEABLE_EVENT" && v.Job.Attempt == 1);
            var exhausted = events.Any(v => v.Job.StatusCode == 500 && v.Job.Attempt == 3);
            return unparseable && exhausted ? null : $"unparseable={unparseable}, exhausted after 3 attempts={exhausted}";
        }, FillTimeout, server.Describe);
        var stats = await monitor.GetDeadLetterStatsAsync();
        Assert.True(stats.Counts.ByQueue.GetValueOrDefault("events") >= 2, $"dead letters by queue: {string.Join(", ", stats.Counts.ByQueue)}");

        var summary = (await monitor.GetSummaryAsync()).ToDictionary(s => s.Name, StringComparer.Ordinal);
        Assert.Equal("tick_sync", summary["high_priority_tick_sync"].Type);
        Assert.Equal("comment_sync", summary["medium_priority_comment_sync"].Type);
        Assert.Equal("score", summary["scoringAllValidators"].Type);

        // Seed 001: item progress and {"priority":"high"} metadata.
        var sync = (await monitor.GetJobAsync(summary["high_priority_tick_sync"].LastJobId))!.View.Job;
        Assert.Equal("sync", sync.Queue);
        Assert.True(sync.TotalItems > 0, $"sync total items: {sync.TotalItems}");
        using (var metadata = JsonDocument.Parse(sync.Metadata!))
        {
            Assert.Equal("high", metadata.RootElement.GetProperty("priority").GetString());
        }

        // Seed 000: createdBy from the producer, updatedBy from the handler, codes from the seed.
        var guilds = await monitor.GetHistoryAsync("osint_guild", 1000);
        Assert.Contains(guilds, v => v.Job.Queue == "OSINT_Guilds" && v.Job.CreatedBy == "OSINT-GUILD-REQUEST");
        await Eventually.HoldsAsync("an OSINT character queued from a guild roster and finished", async () =>
        {
            var characters = await monitor.GetHistoryAsync("osint_character", 1000);
            var fromRoster = characters.Any(v => v.Job.Queue == "OSINT_Characters" && v.Job.CreatedBy == "OSINT-GUILD-ROSTER"
                && v.Job.State == JobState.Completed && v.Job.StatusLabel!.StartsWith("SUCCESS", StringComparison.Ordinal) && v.Job.UpdatedBy is not null);
            var guildUpdated = (await monitor.GetHistoryAsync("osint_guild", 1000)).Any(v => v.Job.UpdatedBy == "OSINT-GUILD-GET");
            return fromRoster && guildUpdated ? null : $"character from roster={fromRoster}, guild updatedBy OSINT-GUILD-GET={guildUpdated}";
        }, FillTimeout, server.Describe);

        // The external run, tracked like a job.
        var backfill = (await monitor.GetJobAsync(summary["route_count_backfill"].LastJobId))!.View.Job;
        Assert.True(backfill.IsExternal);
        Assert.Equal(300, backfill.TotalItems);
    }
}
