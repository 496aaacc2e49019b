using Jobwatch.AspNetCore;
using Jobwatch.Server;

var outcome = ServerCommandLine.Parse(args, Environment.GetEnvironmentVariable(ServerCommandLine.StorageEnvironmentVariable), stdoutIsTerminal: !Console.IsOutputRedirected);
if (outcome.IsInformational)
{
    return outcome.Parse.Invoke();
}
if (outcome.Settings is not { } settings)
{
    foreach (var error in outcome.Errors)
    {
        Console.Error.WriteLine($"jobwatch-server: {error}");
    }
    Console.Error.WriteLine("Run with --help to see the options.");
    return CommandLineOutcome.UsageExitCode;
}

// Args are parsed above; the host's own command-line provider would misread "--demo --storage x" as demo=--storage.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
try
{
    JobwatchServerSetup.Configure(builder, settings);
}
catch (ServerSetupException ex)
{
    Console.Error.WriteLine($"jobwatch-server: {ex.Message}");
    return CommandLineOutcome.UsageExitCode;
}

await using var host = builder.Build();
host.MapJobwatch();
host.MapJobwatchHealthProbes();
host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Jobwatch.Server").LogInformation(
    "Jobwatch server starting on {Urls}: storage {Storage}, demo {Demo}, workers {Workers}, log format {LogFormat}",
    builder.Configuration["urls"], JobwatchServerSetup.DescribeStorage(settings, builder.Configuration),
    settings.Demo ? "on" : "off", settings.RunWorkers ? "on" : "off", settings.LogFormat);
try
{
    await host.RunAsync();
    return 0;
}
catch (OperationCanceledException)
{
    // SIGTERM arrived while Kestrel was still binding: the host cancels its own start, which is a clean stop.
    return 0;
}
catch (Exception ex)
{
    // The host has logged the details; this line is for people reading a terminal.
    Console.Error.WriteLine($"jobwatch-server: stopped with an error: {ex.GetBaseException().Message}");
    return 1;
}
