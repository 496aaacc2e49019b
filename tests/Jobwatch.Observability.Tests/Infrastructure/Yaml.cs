using System.Text.Json;

namespace Jobwatch.Observability.Tests.Infrastructure;

/// <summary>
/// YAML read by PyYAML's safe loader (what Debian's python3-yaml ships) and handed over as JSON, so the tests
/// check the files as a real YAML parser sees them without a YAML library in the .NET build.
/// </summary>
public static class Yaml
{
    private const string ToJson =
        "import sys, json, yaml\n" +
        "docs = list(yaml.safe_load_all(open(sys.argv[1], encoding='utf-8')))\n" +
        "json.dump(docs, sys.stdout, default=str)\n";

    /// <summary>Every document in the file; fails the test naming the file and PyYAML's message when it does not parse.</summary>
    public static async Task<IReadOnlyList<JsonElement>> LoadAllAsync(string path)
    {
        var result = await ExternalTool.RunAsync(ExternalTool.Python, ["-c", ToJson, path]);
        if (result.ExitCode != 0 && result.Stderr.Contains("No module named 'yaml'", StringComparison.Ordinal))
        {
            throw new Xunit.Sdk.XunitException("python3 has no yaml module. scripts/test.sh installs it (apt-get install python3-yaml).");
        }
        Assert.True(result.ExitCode == 0, $"{Path.GetRelativePath(RepoPaths.Root, path)} is not valid YAML:\n{result.Stderr}");
        using var doc = JsonDocument.Parse(result.Stdout);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    /// <summary>The file's one document, which must be a mapping.</summary>
    public static async Task<JsonElement> LoadAsync(string path)
    {
        var docs = await LoadAllAsync(path);
        Assert.True(docs.Count == 1 && docs[0].ValueKind == JsonValueKind.Object,
            $"{Path.GetRelativePath(RepoPaths.Root, path)} should hold one YAML mapping, found {docs.Count} document(s).");
        return docs[0];
    }
}
