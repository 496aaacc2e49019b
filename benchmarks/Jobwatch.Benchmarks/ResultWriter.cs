using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jobwatch.Benchmarks;

/// <summary>Prints the result as one JSON line on stdout and, with <c>--out</c>, appends it to a results file.</summary>
public static class ResultWriter
{
    public static async Task WriteAsync(JsonObject result, string? outFile)
    {
        var line = result.ToJsonString(new JsonSerializerOptions { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Console.Out.WriteLine(line);
        if (outFile is null)
        {
            return;
        }
        var path = Resolve(outFile);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.AppendAllTextAsync(path, line + "\n");
        Console.Error.WriteLine($"appended to {path}");
    }

    /// <summary>A relative name lands in the repository's benchmarks/results/, wherever the command is run from.</summary>
    private static string Resolve(string outFile)
    {
        if (Path.IsPathRooted(outFile))
        {
            return outFile;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Jobwatch.slnx")))
            {
                return Path.Combine(dir.FullName, "benchmarks", "results", outFile);
            }
        }
        return Path.GetFullPath(Path.Combine("benchmarks", "results", outFile));
    }
}
