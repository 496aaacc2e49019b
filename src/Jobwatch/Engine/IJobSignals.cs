namespace Jobwatch.Engine;

/// <summary>
/// Wake-ups: "jobs are available in queue Q". In-process by default, so a job enqueued here starts
/// without waiting for a poll; a multi-node store replaces it with one that crosses processes.
/// </summary>
public interface IJobSignals
{
    void NotifyJobsAvailable(string queue);
    IDisposable OnJobsAvailable(Action<string> callback);
}

public sealed class InProcessJobSignals : IJobSignals
{
    private readonly object _gate = new();
    private Action<string>[] _callbacks = [];

    public void NotifyJobsAvailable(string queue)
    {
        foreach (var callback in Volatile.Read(ref _callbacks))
        {
            try
            {
                callback(queue);
            }
            catch
            {
                // A wake-up is a hint (workers also poll): one failing listener must not starve the others.
            }
        }
    }

    public IDisposable OnJobsAvailable(Action<string> callback)
    {
        lock (_gate)
        {
            _callbacks = [.. _callbacks, callback];
        }
        return new Unsubscriber(() =>
        {
            lock (_gate)
            {
                _callbacks = _callbacks.Where(c => c != callback).ToArray();
            }
        });
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private int _disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) dispose();
        }
    }
}
