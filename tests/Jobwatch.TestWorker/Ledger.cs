using System.Text;

namespace Jobwatch.TestWorker;

/// <summary>
/// Appends "jobId attempt pid" per execution start to <c>ledger-&lt;pid&gt;.txt</c>, and
/// "jobId attempt pid done|cancelled" per execution end to <c>ends-&lt;pid&gt;.txt</c>. One file per
/// process, so processes never interleave; one unbuffered write per line under a lock, so a SIGKILL
/// leaves at most the line being written incomplete (the tests ignore an unterminated last line).
/// </summary>
public sealed class Ledger : IDisposable
{
    private readonly object _gate = new();
    private readonly FileStream _starts;
    private readonly FileStream _ends;
    private readonly int _pid = Environment.ProcessId;

    public Ledger(string directory)
    {
        Directory.CreateDirectory(directory);
        _starts = Open(Path.Combine(directory, $"ledger-{_pid}.txt"));
        _ends = Open(Path.Combine(directory, $"ends-{_pid}.txt"));
    }

    public void Started(long jobId, int attempt) => Write(_starts, $"{jobId} {attempt} {_pid}\n");

    public void Ended(long jobId, int attempt, bool cancelled) => Write(_ends, $"{jobId} {attempt} {_pid} {(cancelled ? "cancelled" : "done")}\n");

    private void Write(FileStream file, string line)
    {
        var bytes = Encoding.ASCII.GetBytes(line);
        lock (_gate)
        {
            file.Write(bytes);
            file.Flush();
        }
    }

    private static FileStream Open(string path) => new(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);

    public void Dispose()
    {
        _starts.Dispose();
        _ends.Dispose();
    }
}
