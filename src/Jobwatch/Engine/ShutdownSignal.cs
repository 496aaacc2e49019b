namespace Jobwatch.Engine;

/// <summary>
/// Signalled the moment the engine starts stopping, before running handlers are cancelled, so a
/// long item-by-item handler can stop between items and be released at once instead of waiting
/// out the shutdown timeout.
/// </summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _cts = new();

    public CancellationToken Token => _cts.Token;

    internal void Trigger()
    {
        try { _cts.Cancel(); } catch (ObjectDisposedException) { }
    }

    public void Dispose() => _cts.Dispose();
}
