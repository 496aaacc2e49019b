namespace Jobwatch.Cli.Tests.Infrastructure;

/// <summary>
/// Where the built programs are: this assembly runs from tests/Jobwatch.Cli.Tests/bin/C/F, and the projects it
/// references are built with the same configuration C and framework F into their own bin folders.
/// </summary>
public static class RepoPaths
{
    private static readonly DirectoryInfo Here = new(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));

    public static string Framework => Here.Name;
    public static string Configuration => Here.Parent!.Name;
    public static string Root => Here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;

    public static string CliProject => Path.Combine(Root, "src", "Jobwatch.Cli", "Jobwatch.Cli.csproj");
    public static string CliDll => Built("Jobwatch.Cli");
    public static string ServerDll => Built("Jobwatch.Server");

    private static string Built(string project)
    {
        var path = Path.Combine(Root, "src", project, "bin", Configuration, Framework, project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} not found; build tests/Jobwatch.Cli.Tests (it builds {project}).", path);
    }

    /// <summary>The dotnet host running these tests (under `dotnet test`, DOTNET_HOST_PATH names it).</summary>
    public static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
