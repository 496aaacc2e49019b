using Jobwatch.Engine;
using Jobwatch.Events;
using Jobwatch.Storage.Postgres;
using Jobwatch.Storage.Postgres.Internal;
using Jobwatch.Storage.Postgres.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Jobwatch.Storage.Tests.Postgres;

/// <summary>Options, registration and failure behaviour that need no (or no working) server.</summary>
public sealed class PostgresStoreSetupTests
{
    private const string Unused = "Host=127.0.0.1;Port=1;Username=nobody;Database=none";

    [Theory]
    [InlineData("")]
    [InlineData("Jobwatch")]
    [InlineData("job-watch")]
    [InlineData("1jobs")]
    [InlineData("jobs\"; DROP TABLE x; --")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")] // 64 characters
    public void Schema_MustBeALowerCaseIdentifier(string schema)
    {
        var error = Assert.Throws<ArgumentException>(() => new PostgresJobStore(new PostgresStoreOptions { ConnectionString = Unused, Schema = schema }));
        Assert.Contains("PostgresStoreOptions.Schema", error.Message);
    }

    [Fact]
    public void ConnectionString_IsRequired()
    {
        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddJobwatch().UsePostgres(" "));
        Assert.Contains("PostgresStoreOptions.ConnectionString", error.Message);
    }

    [Fact]
    public void ChannelNames_FitInAnIdentifier_AndDifferPerSchema()
    {
        var a = new PostgresConnectionFactory(new PostgresStoreOptions { ConnectionString = Unused, Schema = new string('a', 63) });
        var b = new PostgresConnectionFactory(new PostgresStoreOptions { ConnectionString = Unused, Schema = new string('a', 62) + "b" });
        var plain = new PostgresConnectionFactory(new PostgresStoreOptions { ConnectionString = Unused });

        Assert.Equal("jobwatch_jobs", plain.JobsChannel);
        Assert.Equal("jobwatch_events", plain.EventsChannel);
        string[] channels = [a.JobsChannel, a.EventsChannel, b.JobsChannel, b.EventsChannel];
        Assert.All(channels, c => Assert.InRange(c.Length, 1, 63));
        Assert.Equal(channels.Length, channels.Distinct().Count());
        Assert.NotEqual(a.MigrationLockKey, b.MigrationLockKey);
    }

    [Fact]
    public async Task UsePostgres_ReplacesStoreSignalsAndRelay()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddJobwatch().UseSqlite("Data Source=unused.db").UsePostgres(Unused, o => o.Schema = "app_jobs");
        await using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<PostgresJobStore>(provider.GetRequiredService<IJobStore>());
        Assert.Equal("app_jobs", store.Schema);
        Assert.Equal("postgres", store.Name);
        Assert.IsType<PostgresJobSignals>(provider.GetRequiredService<IJobSignals>());
        Assert.IsType<PostgresEventRelay>(provider.GetRequiredService<IJobEventRelay>());
        Assert.Single(services, d => d.ServiceType == typeof(IJobStore));
        Assert.Single(services, d => d.ServiceType == typeof(IJobSignals));
    }

    [Fact]
    public async Task StoreCalls_FailFast_WhenTheServerIsUnreachable()
    {
        await using var store = new PostgresJobStore(new PostgresStoreOptions { ConnectionString = Unused + ";Timeout=3" });

        var fetch = store.JobFetchAvailableAsync(new JobFetchParams("q", 10, "w", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(30)));

        var completed = await Task.WhenAny(fetch, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.Same(fetch, completed);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => fetch);
    }
}
