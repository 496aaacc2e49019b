namespace Jobwatch.Server.Tests;

/// <summary>A private working folder per test (the server's default storage would land in it) and the database path inside it.</summary>
public abstract class ServerTestBase : IDisposable
{
    protected static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    /// <summary>The engine drains for its ShutdownTimeout (10 s) before releasing long jobs; the rest is margin for a busy machine.</summary>
    protected static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    protected ServerTestBase()
    {
        WorkDir = Directory.CreateTempSubdirectory("jobwatch-server-tests-").FullName;
        DatabasePath = Path.Combine(WorkDir, "jobwatch.db");
    }

    protected string WorkDir { get; }
    protected string DatabasePath { get; }

    protected ServerProcess StartDemo(params string[] extra) =>
        ServerProcess.Start(WorkDir, ["--demo", "--storage", $"sqlite:{DatabasePath}", "--log-format", "json", .. extra]);

    /// <summary>The engine logs this once it has migrated the file, so the test may open it.</summary>
    protected static Task<string> WaitForEngineAsync(ServerProcess server) =>
        server.WaitForAsync("engine start line", lines => lines.FirstOrDefault(l => l.Contains("Jobwatch started on", StringComparison.Ordinal)), StartTimeout);

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        try
        {
            Directory.Delete(WorkDir, recursive: true);
        }
        catch (IOException)
        {
            // A server killed by Dispose may still hold the file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
