namespace Jobwatch.Process.Tests;

/// <summary>One line of a worker's ledger: the worker <see cref="Pid"/> started attempt <see cref="Attempt"/> of job <see cref="JobId"/>.</summary>
public sealed record LedgerEntry(long JobId, int Attempt, int Pid)
{
    public static IReadOnlyList<LedgerEntry> ReadAll(string directory) =>
        ReadLines(directory, "ledger-*.txt", 3).Select(p => new LedgerEntry(long.Parse(p[0]), int.Parse(p[1]), int.Parse(p[2]))).ToArray();

    /// <summary>Complete lines of the matching files, split into fields. A line without its newline is still being written (or its writer was killed mid-write): not yet a fact.</summary>
    internal static IEnumerable<string[]> ReadLines(string directory, string pattern, int fields)
    {
        if (!Directory.Exists(directory)) yield break;
        foreach (var file in Directory.EnumerateFiles(directory, pattern))
        {
            string text;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var reader = new StreamReader(stream))
            {
                text = reader.ReadToEnd();
            }
            var complete = text.LastIndexOf('\n') + 1;
            foreach (var line in text[..complete].Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = line.Split(' ');
                if (parts.Length != fields || !parts.Take(3).All(p => long.TryParse(p, out _)))
                {
                    throw new InvalidDataException($"Malformed line '{line}' in {file}.");
                }
                yield return parts;
            }
        }
    }
}

/// <summary>One line of a worker's ends file: how an execution ended (its handler returned, or was cancelled).</summary>
public sealed record LedgerEnd(long JobId, int Attempt, int Pid, bool Cancelled)
{
    public static IReadOnlyList<LedgerEnd> ReadAll(string directory) =>
        LedgerEntry.ReadLines(directory, "ends-*.txt", 4)
            .Select(p => new LedgerEnd(long.Parse(p[0]), int.Parse(p[1]), int.Parse(p[2]), p[3] == "cancelled")).ToArray();
}
