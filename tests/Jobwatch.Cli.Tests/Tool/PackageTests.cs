using System.IO.Compression;
using Jobwatch.Cli.Tests.Infrastructure;

namespace Jobwatch.Cli.Tests.Tool;

/// <summary>
/// The README's offline install: <c>dotnet pack</c> makes a tool package whose command is <c>jobwatch</c>, and
/// <c>dotnet tool install --tool-path</c> installs it from a local folder with no other package source.
/// </summary>
public sealed class PackageTests
{
    [Fact]
    public async Task Pack_makes_a_jobwatch_tool_that_installs_offline_and_runs()
    {
        var work = Directory.CreateTempSubdirectory("jobwatch-cli-pack-").FullName;
        try
        {
            var packages = Path.Combine(work, "nupkg");
            // A version of its own and an empty package cache, so no earlier install of the same version is reused.
            var version = "0.1.0-test." + Guid.NewGuid().ToString("N")[..8];
            var environment = new Dictionary<string, string?>
            {
                ["NUGET_PACKAGES"] = Path.Combine(work, "cache"),
                ["MSBUILDDISABLENODEREUSE"] = "1",
                ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            };
            // Already built by this test project's build; pack only packages it.
            var pack = await ToolProcess.RunAsync(RepoPaths.DotnetHost(),
                ["pack", RepoPaths.CliProject, "--no-build", "-c", RepoPaths.Configuration, "-o", packages, "-p:PackageVersion=" + version, "-nologo"],
                environment, TimeSpan.FromMinutes(3), work);
            Assert.True(pack.ExitCode == 0, pack.ToString());

            var package = Path.Combine(packages, $"Jobwatch.Cli.{version}.nupkg");
            Assert.True(File.Exists(package), $"No {package}:\n{pack}");
            using (var zip = ZipFile.OpenRead(package))
            {
                var settings = zip.Entries.Single(e => e.FullName.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal));
                using var reader = new StreamReader(settings.Open());
                Assert.Contains("Name=\"jobwatch\"", await reader.ReadToEndAsync());
                Assert.Contains(zip.Entries, e => e.FullName.EndsWith("/Jobwatch.Client.dll", StringComparison.Ordinal));
            }

            // Only the local folder as a source: the install must not need the network.
            File.WriteAllText(Path.Combine(work, "nuget.config"),
                $"""<?xml version="1.0" encoding="utf-8"?><configuration><packageSources><clear /><add key="local" value="{packages}" /></packageSources></configuration>""");
            var tools = Path.Combine(work, "tools");
            var install = await ToolProcess.RunAsync(RepoPaths.DotnetHost(),
                ["tool", "install", "Jobwatch.Cli", "--version", version, "--tool-path", tools, "--configfile", Path.Combine(work, "nuget.config")],
                environment, TimeSpan.FromMinutes(2), work);
            Assert.True(install.ExitCode == 0, install.ToString());

            var jobwatch = Path.Combine(tools, "jobwatch");
            var help = await ToolProcess.RunAsync(jobwatch, ["--help"], null, TimeSpan.FromSeconds(60));
            Assert.True(help.ExitCode == 0, help.ToString());
            Assert.Contains("Usage:", help.Out);
            Assert.Contains("jobwatch [command] [options]", help.Out);
            Assert.Contains("watch", help.Out);

            var unreachable = await ToolProcess.RunAsync(jobwatch, ["active", "--url", ClosedPort.Url()], null, TimeSpan.FromSeconds(60));
            Assert.Equal(7, unreachable.ExitCode);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
